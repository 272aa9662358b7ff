import { html, raw } from 'hono/html';
import { ROLES, APP_LOCALES, type AppLocale, type Role } from '../../../schema';
import type { Member, SessionRow } from '../../db/members';
import { appPage, errorSummary, field, type FieldError, formToken, type Html, notice, type Viewer } from './layout';
import type { AppMessages } from './messages';

interface PageInput {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
}

/** The workspace home: the next steps until responses arrive, then the counts. */
export function homePage(p: PageInput & { progress: { surveys: number; snippets: number; webhooks: number; responses: number } }): Html {
  const { t, progress } = p;
  const step = (done: boolean, title: string, how: string) =>
    html`<li><strong>${title}</strong> <span class="tag">${done ? t.done : t.toDo}</span>${done ? '' : html`<p class="hint"><code>${how}</code></p>`}</li>`;
  const steps =
    progress.responses === 0
      ? html`<h2>${t.nextSteps}</h2><p>${t.nextStepsIntro}</p><ol class="steps">${step(progress.surveys > 0, t.stepSurvey, t.stepSurveyHow)}${step(progress.snippets > 0, t.stepSnippet, t.stepSnippetHow)}${step(
          progress.webhooks > 0,
          t.stepWebhook,
          t.stepWebhookHow,
        )}</ol>`
      : html`<p>${t.responsesCount(progress.responses)} <a href="/app/reports">${t.reports.homeLink}</a></p>`;
  return appPage({
    ...p,
    title: t.homeTitle,
    section: 'home',
    body: html`<h1>${p.viewer.workspace.name}</h1>${steps}<h2>${t.overview}</h2><dl class="stats"><div><dt>${t.responsesLabel}</dt><dd>${progress.responses}</dd></div><div><dt>${t.surveysCount}</dt><dd>${progress.surveys}</dd></div><div><dt>${t.snippetsCount}</dt><dd>${progress.snippets}</dd></div><div><dt>${t.webhooksCount}</dt><dd>${progress.webhooks}</dd></div></dl>`,
  });
}

function roleSelect(t: AppMessages, id: string, roles: readonly Role[], selected: Role, label: string, visuallyHidden: boolean): Html {
  return html`<label for="${id}"${visuallyHidden ? raw(' class="skip"') : ''}>${label}</label><select id="${id}" name="role">${roles.map(
    (r) => html`<option value="${r}"${r === selected ? raw(' selected') : ''}>${t.roles[r]}</option>`,
  )}</select>`;
}

/** Members: the list, with role changes and removal where the viewer may; the invite form; leaving. */
export function membersPage(p: PageInput & { members: Member[]; agentNames?: Map<string, string[]>; typedAgentNames?: { personId: string; text: string }; personId: string; errors: FieldError[]; values: { email: string; role: Role; timeZone: string }; message: string | null }): Html {
  const { t, viewer } = p;
  const assignable: readonly Role[] = viewer.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
  const rows = p.members.map((m) => {
    // Admins manage admins and members; only owners touch owners.
    const manageable = viewer.role === 'owner' || m.role !== 'owner';
    const self = m.personId === p.personId;
    return html`<tr><td>${m.name} ${self ? html`<span class="muted">${t.you}</span>` : ''}</td><td>${m.email}</td><td>${
      manageable && !self
        ? html`<form class="inline" method="post" action="/app/members/${m.personId}/role">${formToken(viewer.formToken)}${roleSelect(t, `role-${m.personId}`, assignable, m.role, t.changeRoleOf(m.name), true)}<button class="secondary" type="submit" aria-label="${t.changeRoleOf(m.name)}">${t.change}</button></form>`
        : t.roles[m.role]
    }</td><td>${
      manageable && !self
        ? html`<form method="post" action="/app/members/${m.personId}/remove" class="inline">${formToken(viewer.formToken)}<button class="warning" type="submit" aria-label="${t.removeOf(m.name)}">${t.remove}</button></form>`
        : ''
    }</td><td>${agentNamesForm(p, m)}</td></tr>`;
  });
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${t.membersTitle}` : t.membersTitle,
    section: 'members',
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<h1>${t.membersTitle}</h1><table><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col"><span class="skip">${t.remove}</span></th><th scope="col">${t.followUps.agentNames}</th></tr></thead><tbody>${rows}</tbody></table><p class="hint" id="agent-names-hint">${t.followUps.agentNamesHint}</p>
<h2>${t.inviteHeading}</h2><form method="post" action="/app/members/invite" novalidate>${formToken(viewer.formToken)}
${field({ id: 'email', label: t.email, type: 'email', value: p.values.email, autocomplete: 'off', errors: p.errors })}
<fieldset class="card"><legend>${t.role}</legend>${assignable.map(
      (r) => html`<div class="choice"><input type="radio" id="invite-role-${r}" name="role" value="${r}"${r === p.values.role ? raw(' checked') : ''}> <label for="invite-role-${r}">${t.roles[r]}</label><p class="hint">${t.roleHints[r]}</p></div>`,
    )}</fieldset>
<button type="submit">${t.inviteSend}</button></form>${
      viewer.role === 'owner' || viewer.role === 'admin'
        ? html`
<h2>${t.timeZoneHeading}</h2><form method="post" action="/app/members/time-zone" novalidate>${formToken(viewer.formToken)}
${field({ id: 'timeZone', label: t.timeZoneLabel, type: 'text', value: p.values.timeZone, hint: t.timeZoneHint, autocomplete: 'off', errors: p.errors })}
<button type="submit">${t.timeZoneSave}</button></form>`
        : ''
    }`,
  });
}

/**
 * A member's agent names (the help desk's names for them: their unhappy customers' follow-ups
 * are theirs), one per line, with its own save button.
 */
function agentNamesForm(p: PageInput & { agentNames?: Map<string, string[]>; typedAgentNames?: { personId: string; text: string }; errors: FieldError[] }, m: Member): Html {
  const { t, viewer } = p;
  const id = `agent-names-${m.personId}`;
  const error = p.errors.find((e) => e.field === id);
  const text = p.typedAgentNames?.personId === m.personId ? p.typedAgentNames.text : (p.agentNames?.get(m.personId) ?? []).join('\n');
  return html`<form method="post" action="/app/members/${m.personId}/agent-names">${formToken(viewer.formToken)}<div${error ? raw(' class="invalid"') : ''}><label for="${id}" class="skip">${t.followUps.agentNamesOf(m.name)}</label>${
    error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ''
  }<textarea id="${id}" name="agent-names" rows="2" aria-describedby="agent-names-hint${error ? ` ${id}-error` : ''}"${error ? raw(' aria-invalid="true"') : ''}>${text}</textarea></div><button class="secondary" type="submit" aria-label="${t.followUps.agentNamesOf(m.name)}: ${t.followUps.saveAgentNames}">${t.followUps.saveAgentNames}</button></form>`;
}

/** The invitation link, shown once to copy (it is stored only as a hash). */
export function inviteLinkPage(p: PageInput & { email: string; url: string }): Html {
  const { t } = p;
  return appPage({
    ...p,
    title: t.inviteLinkTitle,
    section: 'members',
    narrow: true,
    body: html`<h1>${t.inviteLinkTitle}</h1><p>${t.inviteLinkIntro(p.email)}</p><label for="invite-url">${t.inviteLinkLabel}</label><input type="text" id="invite-url" readonly value="${p.url}"><p><a href="/app/members">${t.backToMembers}</a></p>`,
  });
}

/** Account: name and language; the password; leaving the workspace. */
export function accountPage(p: PageInput & { values: { name: string; locale: AppLocale | null }; errors: FieldError[]; message: string | null }): Html {
  const { t, viewer } = p;
  const option = (value: string, text: string, selected: boolean) => html`<option value="${value}"${selected ? raw(' selected') : ''}>${text}</option>`;
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${t.accountTitle}` : t.accountTitle,
    section: 'account',
    narrow: true,
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<h1>${t.accountTitle}</h1><form method="post" action="/app/account" novalidate>${formToken(viewer.formToken)}
${field({ id: 'name', label: t.name, type: 'text', value: p.values.name, autocomplete: 'name', errors: p.errors })}
<label for="locale">${t.language}</label><select id="locale" name="locale">${option('', t.languageAuto, p.values.locale === null)}${APP_LOCALES.map((l) => option(l, t.languages[l], p.values.locale === l))}</select>
<button type="submit">${t.saveAccount}</button></form>
<h2>${t.passwordHeading}</h2><form method="post" action="/app/account/password" novalidate>${formToken(viewer.formToken)}
${field({ id: 'current', label: t.currentPassword, type: 'password', autocomplete: 'current-password', errors: p.errors })}
${field({ id: 'password', label: t.newPassword, type: 'password', hint: t.passwordHint, autocomplete: 'new-password', errors: p.errors })}
<button type="submit">${t.passwordButton}</button></form>
<h2>${t.leaveHeading}</h2><form method="post" action="/app/account/leave">${formToken(viewer.formToken)}<button class="warning" type="submit">${t.leaveButton}</button></form>`,
  });
}

/** Sessions: this person's signed-in browsers; end one, or all but this one. */
export function sessionsPage(p: PageInput & { sessions: SessionRow[]; currentId: string; message: string | null }): Html {
  const { t, viewer, locale } = p;
  const when = (ms: number) => new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(ms)) + ' UTC';
  const rows = p.sessions.map(
    (s) => html`<tr><td>${s.userAgent}${s.id === p.currentId ? html` <span class="tag">${t.thisSession}</span>` : ''}</td><td>${when(s.createdAt)}</td><td>${when(s.lastSeenAt)}</td><td>${
      s.id === p.currentId
        ? ''
        : html`<form class="inline" method="post" action="/app/sessions/${s.id}/revoke">${formToken(viewer.formToken)}<button class="secondary" type="submit" aria-label="${t.revokeOf(`${s.userAgent}, ${when(s.lastSeenAt)}`)}">${t.revoke}</button></form>`
    }</td></tr>`,
  );
  return appPage({
    ...p,
    title: t.sessionsTitle,
    section: 'sessions',
    body: html`${notice(p.message)}<h1>${t.sessionsTitle}</h1><p>${t.sessionsIntro}</p><table><thead><tr><th scope="col">${t.sessions}</th><th scope="col">${t.started}</th><th scope="col">${t.lastSeen}</th><th scope="col"><span class="skip">${t.revoke}</span></th></tr></thead><tbody>${rows}</tbody></table>${
      p.sessions.length > 1 ? html`<form method="post" action="/app/sessions/revoke-others">${formToken(viewer.formToken)}<button class="warning" type="submit">${t.revokeOthers}</button></form>` : ''
    }`,
  });
}
