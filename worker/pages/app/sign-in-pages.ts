import { html } from 'hono/html';
import type { AppLocale } from '../../../schema';
import { appPage, errorSummary, field, type FieldError, type Html, notice, type Viewer } from './layout';
import type { AppMessages } from './messages';

interface PageInput {
  locale: AppLocale;
  t: AppMessages;
}

/** `/app/login`: email and password, one button. */
export function loginPage(p: PageInput & { email: string; errors: FieldError[]; message: string | null }): Html {
  const { t } = p;
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${t.loginTitle}` : t.loginTitle,
    viewer: null,
    narrow: true,
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<h1>${t.loginTitle}</h1><form method="post" action="/app/login" novalidate>
${field({ id: 'email', label: t.email, type: 'email', value: p.email, autocomplete: 'username', errors: p.errors })}
${field({ id: 'password', label: t.password, type: 'password', autocomplete: 'current-password', errors: p.errors })}
<button type="submit">${t.loginButton}</button></form>`,
  });
}

/** `/app/setup/<token>`: the first owner's name, email and password. */
export function setupPage(p: PageInput & { action: string; workspaceName: string; values: { name: string; email: string }; errors: FieldError[] }): Html {
  const { t } = p;
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${t.setupTitle}` : t.setupTitle,
    viewer: null,
    narrow: true,
    body: html`${errorSummary(t, p.errors)}<h1>${t.setupTitle}</h1><p>${t.setupIntro(p.workspaceName)}</p><form method="post" action="${p.action}" novalidate>
${field({ id: 'name', label: t.name, type: 'text', value: p.values.name, autocomplete: 'name', errors: p.errors })}
${field({ id: 'email', label: t.email, type: 'email', value: p.values.email, autocomplete: 'username', errors: p.errors })}
${field({ id: 'password', label: t.password, type: 'password', hint: t.passwordHint, autocomplete: 'new-password', errors: p.errors })}
<button type="submit">${t.setupButton}</button></form>`,
  });
}

/** `/app/invite/<token>`: a name and a password; only the password when the email already has an account. */
export function invitePage(p: PageInput & { action: string; workspaceName: string; roleName: string; email: string; existing: boolean; values: { name: string }; errors: FieldError[] }): Html {
  const { t } = p;
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${t.inviteTitle}` : t.inviteTitle,
    viewer: null,
    narrow: true,
    body: html`${errorSummary(t, p.errors)}<h1>${t.inviteTitle}</h1><p>${t.inviteIntro(p.workspaceName, p.roleName, p.email)}</p>${p.existing ? html`<p>${t.inviteExisting}</p>` : ''}<form method="post" action="${p.action}" novalidate>
${p.existing ? '' : field({ id: 'name', label: t.name, type: 'text', value: p.values.name, autocomplete: 'name', errors: p.errors })}
${field({ id: 'password', label: t.password, type: 'password', hint: p.existing ? undefined : t.passwordHint, autocomplete: p.existing ? 'current-password' : 'new-password', errors: p.errors })}
<button type="submit">${t.inviteButton}</button></form>`,
  });
}

/** A page that says one thing (a used or expired link, a refusal) and where to go from there. */
export function messagePage(p: PageInput & { title: string; message: string; viewer: Viewer | null; reference?: string }): Html {
  const { t } = p;
  return appPage({
    ...p,
    narrow: true,
    body: html`<h1>${p.title}</h1><p>${p.message}</p>${p.viewer ? html`<p><a href="/app">${t.home}</a></p>` : html`<p><a href="/app/login">${t.loginTitle}</a></p>`}${
      p.reference ? html`<p class="muted">${t.reference}: ${p.reference}</p>` : ''
    }`,
  });
}
