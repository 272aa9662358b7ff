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
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

let cssHash: Promise<string> | undefined;

/** `'sha256-…'` of PAGE_CSS, computed once (CSP Level 3 hash source). */
export function pageCssHash(): Promise<string> {
  cssHash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(PAGE_CSS)).then((digest) => {
    let binary = '';
    for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
    return `'sha256-${btoa(binary)}'`;
  });
  return cssHash;
}

/** A complete HTML document around `body` (which must already be escaped). */
export function layout(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head><body><main>${body}</main></body></html>`;
}
