import { CHART_CSS } from './charts';

/**
 * The Reports pages' and the feed's stylesheet rules (charts included), appended to the app's one
 * stylesheet (`APP_CSS`, allowed by its hash): no page carries a style of its own.
 */
export const REPORT_CSS = `${CHART_CSS}
.report-list{padding-left:1.2rem}.report-list li{margin:.5rem 0}.period .inline{gap:1rem}.period input[type=date]{width:auto}
.headline dd{overflow-wrap:anywhere}.stats dd.hint{margin:.25rem 0 0;font-size:.95rem;font-weight:400}.formula{font-size:.95rem;border-left:4px solid var(--line);padding-left:.75rem}
.chart-pair{display:grid;gap:1rem}@media (min-width:60rem){.chart-pair{grid-template-columns:3fr 2fr;align-items:start}}
table.numbers caption{text-align:left;font-weight:600;padding:.25rem 0}.feed .comment{white-space:pre-wrap;overflow-wrap:anywhere}
.filters .choice{margin-top:1rem}`;
