import { escapeHtml } from '../lib/html';
import type { Locale } from '../lib/i18n';

/**
 * The one stylesheet of the customer pages, inlined so the page makes no further request, and
 * allowed by its hash in the Content-Security-Policy (no 'unsafe-inline'). Mobile first; colours
 * meet WCAG 2.2 AA contrast (4.5:1 for text) in light and dark schemes.
 */
export const PAGE_CSS = `:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#4a5360;--accent:#0b57d0;--chosen:#0b57d0;--chosen-text:#fff;--border:#c5cbd3}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1d2126;--text:#eef1f4;--muted:#b4bcc6;--accent:#8ab4f8;--chosen:#8ab4f8;--chosen-text:#0b1320;--border:#3c434c}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem}.card{background:var(--card);border:1px solid var(--border);border-radius:12px;padding:1.25rem}
h1{font-size:1.4rem;margin:0 0 .5rem}p{margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}.q{font-weight:600}
ul.answers{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:1rem 0}
.answers>li>a,.answers>li>span{display:inline-flex;flex-direction:column;align-items:center;justify-content:center;min-width:3rem;min-height:3rem;padding:.35rem .6rem;border:1px solid var(--border);border-radius:10px;color:var(--text);text-decoration:none}
.answers .m{font-size:1.6rem;line-height:1.2}.answers .t{font-size:.75rem}
.answers>li>a:hover{border-color:var(--accent)}.answers>li>span[aria-current]{background:var(--chosen);color:var(--chosen-text);border-color:var(--chosen);font-weight:700}
.legend{display:flex;justify-content:space-between;gap:1rem;margin-top:-.5rem}.legend span:last-child{text-align:right}
a:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
label{display:block;font-weight:600;margin-top:1.25rem}textarea{width:100%;min-height:7rem;margin:.4rem 0;padding:.6rem;font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--border);border-radius:8px}
button{font:inherit;font-weight:600;padding:.7rem 1.2rem;min-height:2.75rem;border:0;border-radius:8px;background:var(--accent);color:var(--chosen-text);cursor:pointer}
.ok{border-left:4px solid #1e8e3e;padding:.4rem .8rem}.err{border-left:4px solid #d93025;padding:.4rem .8rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
input[type=text]{width:100%;margin:.4rem 0;padding:.6rem;font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--border);border-radius:8px}`;

/**
 * The one script, on thank-you pages that wait for a sign of a person (`#cf`, the confirm form):
 * the first trusted pointer, touch or key event posts the form in the background (`js=1`: answered
 * 204), so nobody has to press the button. Constant text, allowed by its hash; it loads nothing.
 */
export const PAGE_SCRIPT = `(function(){var f=document.getElementById("cf");if(!f)return;var d=0;function h(e){if(d||!e.isTrusted)return;d=1;var b=new URLSearchParams(new FormData(f));b.set("via",e.type);b.set("js","1");fetch(f.action,{method:"POST",body:b}).then(function(r){if(r.ok)f.hidden=true})}["pointerdown","touchstart","keydown"].forEach(function(t){addEventListener(t,h,{capture:true,passive:true})})})()`;

const hashes = new Map<string, Promise<string>>();
/** `'sha256-…'` of a text, computed once (CSP Level 3 hash source). */
export function hashSource(text: string): Promise<string> {
  let hash = hashes.get(text);
  if (!hash) {
    hash = crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then((digest) => {
      let binary = '';
      for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
      return `'sha256-${btoa(binary)}'`;
    });
    hashes.set(text, hash);
  }
  return hash;
}

/** `'sha256-…'` of PAGE_CSS. */
export function pageCssHash(): Promise<string> {
  return hashSource(PAGE_CSS);
}

/**
 * The policy of a page that carries PAGE_SCRIPT: the default one plus that script, by hash (no
 * 'unsafe-inline'), and `connect-src 'self'` for its one POST.
 */
export async function scriptPageCsp(formTargets: string[] = []): Promise<string> {
  return `default-src 'none'; style-src ${await pageCssHash()}; script-src ${await hashSource(PAGE_SCRIPT)}; connect-src 'self'; img-src 'self'; form-action ${["'self'", ...formTargets].join(' ')}; base-uri 'none'; frame-ancestors 'none'`;
}

/**
 * The default policy of a customer page (set by the security headers); `formTargets` adds origins
 * a form post may end at. Browsers check form-action on every redirect of a form submission too
 * (CSP Level 3 §6.4.1), so the review form's 303 to the survey's review page needs that page's
 * origin here, or the browser stops at our redirect.
 */
export async function pageCsp(formTargets: string[] = []): Promise<string> {
  return `default-src 'none'; style-src ${await pageCssHash()}; img-src 'self'; form-action ${["'self'", ...formTargets].join(' ')}; base-uri 'none'; frame-ancestors 'none'`;
}

/** A complete HTML document around `body` (which must already be escaped); `script` adds PAGE_SCRIPT. */
export function layout(locale: Locale, title: string, body: string, options: { script?: boolean } = {}): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head><body><main>${body}</main>${options.script ? `<script>${PAGE_SCRIPT}</script>` : ''}</body></html>`;
}
