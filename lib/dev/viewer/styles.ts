/** Stylesheet of the trace viewer. */
export const VIEWER_CSS = `
:root {
  --bg: #f6f7f9; --panel: #fff; --line: #e3e6eb; --text: #1d2330; --muted: #6b7385;
  --accent: #3b5bdb; --error: #d6336c; --error-bg: #fff0f4; --ok: #2b8a3e; --bar: #748ffc;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); background: var(--bg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.top { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #1d2330; color: #fff; }
.top .brand { color: #fff; font-weight: 600; font-size: 16px; }
.top .brand span { color: #91a7ff; font-weight: 400; }
.top .spacer { flex: 1; }
.live { font-size: 12px; color: #8ce99a; }
.live.off { color: #adb5bd; }
main { padding: 16px 20px; }
.muted { color: var(--muted); }
.mono { font-family: var(--mono); font-size: 12px; }
h1 { font-size: 18px; margin: 0 0 4px; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
.seg a { padding: 4px 10px; border: 1px solid var(--line); background: var(--panel); color: var(--text); }
.seg a:first-child { border-radius: 6px 0 0 6px; } .seg a:last-child { border-radius: 0 6px 6px 0; }
.seg a.on { background: var(--accent); color: #fff; border-color: var(--accent); }
table.traces { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
table.traces th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); padding: 8px 10px; border-bottom: 1px solid var(--line); background: #fafbfc; }
table.traces td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
table.traces tr.row { cursor: pointer; }
table.traces tr.row:hover td { background: #f1f3f9; }
table.traces tr.error td:first-child { box-shadow: inset 3px 0 0 var(--error); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 11px; font-weight: 600; background: #e9ecef; color: #495057; white-space: nowrap; }
.kind-agent { background: #f3d9fa; color: #862e9c; } .kind-tool { background: #ffe8cc; color: #d9480f; }
.kind-llm { background: #dbe4ff; color: #364fc7; } .kind-function { background: #c3fae8; color: #087f5b; }
.kind-generator, .kind-generator_item { background: #d3f9d8; color: #2b8a3e; }
.status-error { background: var(--error-bg); color: var(--error); } .status-ok { background: #ebfbee; color: var(--ok); }
.status-progress { background: #fff9db; color: #e67700; }
.side-offline { background: #e7f5ff; color: #1971c2; } .side-live { background: #ebfbee; color: #2b8a3e; }
.tag { background: #fff3bf; color: #8f6b00; margin-right: 3px; }
.empty { padding: 40px; text-align: center; background: var(--panel); border: 1px dashed var(--line); border-radius: 8px; }
.trace-head { margin-bottom: 12px; }
.trace-head .meta { display: flex; gap: 14px; flex-wrap: wrap; color: var(--muted); font-size: 13px; }
.links { margin: 8px 0 0; display: flex; gap: 8px; flex-wrap: wrap; }
.links a { padding: 3px 9px; border: 1px solid #bac8ff; background: #edf2ff; border-radius: 6px; font-size: 12px; }
.layout { display: grid; grid-template-columns: minmax(420px, 1.25fr) minmax(360px, 1fr); gap: 14px; align-items: start; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.waterfall .row { display: grid; grid-template-columns: minmax(200px, 42%) 1fr; align-items: center; min-height: 30px; border-bottom: 1px solid #f1f3f5; cursor: pointer; }
.waterfall .row:hover { background: #f8f9fc; }
.waterfall .row.sel { background: #edf2ff; }
.waterfall .name { display: flex; align-items: center; gap: 6px; padding: 4px 8px; overflow: hidden; white-space: nowrap; }
.waterfall .name .label { overflow: hidden; text-overflow: ellipsis; }
.waterfall .row.error .label { color: var(--error); font-weight: 600; }
.waterfall .track { position: relative; height: 30px; margin-right: 10px; }
.waterfall .bar { position: absolute; top: 9px; height: 12px; min-width: 2px; border-radius: 3px; background: var(--bar); }
.waterfall .row.error .bar { background: var(--error); }
.waterfall .bar.open { background: repeating-linear-gradient(45deg, #ffd43b, #ffd43b 6px, #fab005 6px, #fab005 12px); }
.waterfall .dur { position: absolute; top: 7px; font-size: 11px; color: var(--muted); white-space: nowrap; }
.waterfall .head { display: grid; grid-template-columns: minmax(200px, 42%) 1fr; font-size: 11px; color: var(--muted); padding: 6px 8px; border-bottom: 1px solid var(--line); }
.detail { padding: 12px 14px; position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow: auto; }
.detail h2 { font-size: 16px; margin: 0 0 8px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.detail h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 6px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; font-size: 13px; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; word-break: break-all; }
pre.json { margin: 0; padding: 8px 10px; background: #f8f9fa; border: 1px solid var(--line); border-radius: 6px; font: 12px/1.45 var(--mono); white-space: pre-wrap; word-break: break-word; max-height: 320px; overflow: auto; }
.errbox { padding: 8px 10px; background: var(--error-bg); color: var(--error); border-radius: 6px; white-space: pre-wrap; font-family: var(--mono); font-size: 12px; }
table.attrs { width: 100%; border-collapse: collapse; font-size: 12px; }
table.attrs td { padding: 3px 6px; border-bottom: 1px solid #f1f3f5; vertical-align: top; word-break: break-word; }
table.attrs td:first-child { font-family: var(--mono); color: var(--muted); width: 40%; }
.event { border-left: 3px solid var(--line); padding: 2px 8px; margin-bottom: 6px; }
.event.exception { border-color: var(--error); }
`;
