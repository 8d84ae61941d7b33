// The widget's look, inside its shadow root: the host page's CSS cannot reach in, and this cannot leak out.
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0; background: #1f5fbf; color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); z-index: 2147483000; display: grid; place-items: center; }
.launcher svg { width: 26px; height: 26px; }
button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.panel { position: fixed; right: 20px; bottom: 88px; width: 360px; max-width: calc(100vw - 24px); max-height: min(560px, calc(100vh - 110px)); background: #fff; color: #1c2430; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); z-index: 2147483000; display: flex; flex-direction: column; overflow: hidden; font-size: 15px; line-height: 1.45; }
.panel[hidden] { display: none; }
.head { background: #1f5fbf; color: #fff; padding: 12px 14px; display: flex; justify-content: space-between; align-items: center; }
.head h2 { font-size: 16px; margin: 0; }
.x { background: transparent; border: 0; color: #fff; font-size: 22px; cursor: pointer; line-height: 1; padding: 4px 8px; }
.tabs { display: flex; border-bottom: 1px solid #d9dee5; }
.tabs button { flex: 1; padding: 10px; background: #fff; border: 0; border-bottom: 3px solid transparent; cursor: pointer; font-size: 14px; color: #5b6676; }
.tabs button[aria-selected="true"] { border-bottom-color: #1f5fbf; color: #1c2430; font-weight: 600; }
.body { padding: 14px; overflow-y: auto; }
.stars { display: flex; gap: 6px; margin: 6px 0 12px; border: 0; padding: 0; }
.stars legend { padding: 0; margin-bottom: 6px; }
.stars label { cursor: pointer; font-size: 24px; color: #c4cbd6; }
.stars input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.stars label.on { color: #f5a623; }
.stars input:focus-visible + span { outline: 3px solid #ffbf47; }
textarea { width: 100%; min-height: 96px; padding: 8px; border: 1px solid #d9dee5; border-radius: 8px; font-size: 15px; resize: vertical; }
.send { margin-top: 10px; background: #1f5fbf; color: #fff; border: 0; border-radius: 8px; padding: 9px 16px; cursor: pointer; font-size: 15px; }
.send:disabled { opacity: .6; cursor: default; }
.note { margin: 10px 0 0; font-size: 14px; }
.note.bad { color: #b42318; }
.note.good { color: #1a7f37; }
.log { list-style: none; margin: 0 0 10px; padding: 0; display: flex; flex-direction: column; gap: 6px; max-height: 300px; overflow-y: auto; }
.log li { max-width: 85%; padding: 7px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.log .in { align-self: flex-end; background: #1f5fbf; color: #fff; }
.log .out { align-self: flex-start; background: #eef1f5; }
.log .sys { align-self: center; background: none; color: #5b6676; font-size: 13px; }
.chat-form { display: flex; gap: 8px; align-items: flex-end; }
.chat-form textarea { min-height: 44px; }
.chat-form .send { margin-top: 0; }
.pop { position: fixed; right: 20px; bottom: 88px; width: 360px; max-width: calc(100vw - 24px); max-height: calc(100vh - 110px); overflow-y: auto; background: #fff; color: #1c2430; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); z-index: 2147483001; font-size: 15px; line-height: 1.45; }
.pop fieldset { border: 0; padding: 0; margin: 0 0 12px; }
.pop legend { padding: 0; margin-bottom: 6px; font-weight: 600; }
.pop .intro { margin: 0 0 10px; color: #5b6676; }
.scale { display: flex; flex-wrap: wrap; gap: 6px; }
.scale button { min-width: 38px; height: 38px; border: 1px solid #c4cbd6; border-radius: 8px; background: #fff; cursor: pointer; font-size: 15px; color: #1c2430; }
.scale button[aria-pressed="true"] { background: #1f5fbf; border-color: #1f5fbf; color: #fff; }
.ends { display: flex; justify-content: space-between; font-size: 12px; color: #5b6676; margin-top: 4px; }
.later { background: transparent; border: 0; color: #5b6676; cursor: pointer; margin-left: 10px; font-size: 14px; }
.help-form { display: flex; gap: 8px; }
.help-form input { flex: 1; min-width: 0; padding: 8px; border: 1px solid #d9dee5; border-radius: 8px; font-size: 15px; }
.help-form .send { margin-top: 0; }
.hits { list-style: none; margin: 10px 0 0; padding: 0; }
.hits li { padding: 8px 0; border-bottom: 1px solid #eef1f5; }
.hits a { color: #1f5fbf; font-weight: 600; }
.hits p { margin: 2px 0 0; font-size: 13px; color: #5b6676; }
.still { margin-top: 12px; background: transparent; border: 1px solid #1f5fbf; color: #1f5fbf; border-radius: 8px; padding: 8px 12px; cursor: pointer; font-size: 14px; width: 100%; }
[hidden] { display: none !important; }
@media (max-width: 480px) { .pop { right: 12px; left: 12px; width: auto; bottom: 84px; } .panel { right: 12px; left: 12px; width: auto; bottom: 84px; } .launcher { right: 12px; bottom: 12px; } }
`;

export const ICON =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
