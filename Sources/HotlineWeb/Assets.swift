/// The pages' style sheet and script, served from `/static/` (the Content-Security-Policy allows
/// only scripts and styles from this origin, so nothing is inline).
enum Assets {
    static let css = """
        :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
        body { margin: 0; }
        header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.2rem; background: #1d2330; color: #fff; }
        header.top a { color: #fff; text-decoration: none; margin-right: 1rem; }
        .brand { font-weight: 700; font-size: 1.2rem; }
        .signout { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
        main { padding: 1rem 1.5rem; max-width: 1200px; }
        table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 1rem; }
        th, td { border-bottom: 1px solid #dde1e7; padding: .35rem .5rem; text-align: left; vertical-align: top; font-size: .92rem; }
        .badge { padding: .1rem .45rem; border-radius: .6rem; font-size: .8rem; color: #fff; background: #5a6577; }
        .badge.sla-running { background: #2e7d32; } .badge.sla-warning { background: #e69100; }
        .badge.sla-breached { background: #c62828; } .badge.sla-met { background: #1565c0; }
        .sla { padding: .5rem 1rem; border-left: 6px solid #2e7d32; background: #fff; }
        .sla.sla-warning { border-color: #e69100; } .sla.sla-breached { border-color: #c62828; } .sla.sla-met { border-color: #1565c0; }
        .flash { background: #e3f2e5; border: 1px solid #2e7d32; padding: .5rem 1rem; }
        .error { background: #fdecea; border: 1px solid #c62828; padding: .5rem 1rem; }
        .detail dl { display: grid; grid-template-columns: 8rem 1fr; gap: .2rem 1rem; }
        .actions form { margin-bottom: .8rem; display: flex; gap: .5rem; align-items: flex-start; }
        .actions textarea { width: 30rem; }
        button { padding: .35rem .9rem; border-radius: .3rem; border: 1px solid #5a6577; background: #fff; cursor: pointer; }
        button.danger { background: #c62828; color: #fff; border-color: #c62828; }
        .entries { list-style: none; padding: 0; } .entry { background: #fff; margin-bottom: .4rem; padding: .4rem .8rem; }
        .entry.kind-escalation { border-left: 5px solid #c62828; }
        pre.body { white-space: pre-wrap; margin: .3rem 0 0 0; font-family: inherit; }
        .login { display: flex; flex-direction: column; gap: .6rem; max-width: 22rem; }
        .page.state-sent td { background: #fff4e0; } .page.state-escalated td { color: #8a5a00; }
        .page.state-acknowledged td { color: #2e7d32; }
        .badge.simulated { background: #6a1b9a; }
        .badge.sl-ok { background: #2e7d32; } .badge.sl-amber { background: #e69100; } .badge.sl-red { background: #c62828; }
        .stamp { color: #5a6577; font-size: .8rem; } .path { font-size: .8rem; }
        .keypad { display: grid; grid-template-columns: repeat(3, 4rem); gap: .4rem; margin: .8rem 0; }
        .keypad .key { font-size: 1.3rem; padding: .6rem; }
        .controls { display: flex; gap: .6rem; } button.call { background: #2e7d32; color: #fff; border-color: #2e7d32; }
        pre.transcript { background: #1d2330; color: #e8eaf0; padding: .6rem; min-height: 6rem; white-space: pre-wrap; font-size: .85rem; }
        """

    /// Counts SLA clocks down every second, and keeps the desk and console live over server-sent
    /// events: each event refetches the panels (a reconnecting EventSource sends Last-Event-ID and
    /// the server replays what it missed).
    static let js = """
        "use strict";
        function pad(n) { return String(n).padStart(2, "0"); }
        function left(seconds) {
          const sign = seconds < 0 ? "-" : "";
          const s = Math.abs(Math.round(seconds));
          return sign + Math.floor(s / 3600) + "h " + pad(Math.floor(s % 3600 / 60)) + "m " + pad(s % 60) + "s";
        }
        function tick() {
          for (const el of document.querySelectorAll("[data-due]")) {
            const state = el.dataset.state;
            if (state === "met") continue;
            const due = Number(el.dataset.due) * 1000;
            const out = el.querySelector(".countdown");
            if (out) out.textContent = left((due - Date.now()) / 1000);
          }
        }
        function live() {
          const box = document.getElementById("live");
          if (!box || !window.EventSource) return;
          const source = new EventSource(box.dataset.events);
          let pending = false;
          const refresh = () => {
            if (pending) return;
            pending = true;
            fetch(box.dataset.panels, { credentials: "same-origin" })
              .then(r => r.ok ? r.text() : Promise.reject(r.status))
              .then(html => { box.innerHTML = html; box.dataset.updated = String(Date.now()); })
              .catch(() => {})
              .finally(() => { pending = false; });
          };
          for (const name of ["page", "pages", "case", "calls", "call", "queues", "reload"]) source.addEventListener(name, refresh);
        }
        // A finished call's transcript, replayed at its recorded pace (or faster): each line shows
        // when its time comes.
        function replay() {
          const button = document.getElementById("replay-button");
          if (!button) return;
          const lines = Array.from(document.querySelectorAll(".replay-line"));
          const state = document.getElementById("replay-state");
          let timers = [];
          button.addEventListener("click", () => {
            for (const t of timers) clearTimeout(t);
            timers = [];
            const speed = Number(document.getElementById("replay-speed").value) || 1;
            for (const line of lines) line.hidden = true;
            state.textContent = "replaying";
            for (const line of lines) {
              timers.push(setTimeout(() => { line.hidden = false; }, Number(line.dataset.t) * 1000 / speed));
            }
            const last = lines.length ? Number(lines[lines.length - 1].dataset.t) : 0;
            timers.push(setTimeout(() => { state.textContent = "replayed"; }, last * 1000 / speed + 10));
          });
        }
        document.addEventListener("DOMContentLoaded", () => { tick(); setInterval(tick, 1000); live(); replay(); });
        """

    /// The browser phone: a WebSocket to the server's call; prompts played with WebAudio (the
    /// Call button is the user gesture that lets audio start). Reconnects and resumes.
    static let phoneJS = """
        "use strict";
        (() => {
          const state = document.getElementById("call-state");
          const transcript = document.getElementById("transcript");
          let socket = null, audio = null, source = null, current = -1, queue = [];
          const buffers = new Map();
          function connect() {
            socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/phone/ws");
            socket.onopen = () => { state.textContent = "connected"; };
            socket.onclose = () => { state.textContent = "disconnected; reconnecting"; setTimeout(connect, 1500); };
            socket.onmessage = (event) => handle(JSON.parse(event.data));
          }
          function send(message) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(message)); }
          function handle(message) {
            switch (message.type) {
              case "call": transcript.textContent = message.transcript.join("\\n"); state.textContent = message.waiting; break;
              case "log": transcript.textContent += (transcript.textContent ? "\\n" : "") + message.line; transcript.scrollTop = transcript.scrollHeight; break;
              case "waiting": state.textContent = message.waiting || message.text; break;
              case "play": play(message.id, message.prompts); break;
              case "stop": if (message.id === current) stopAudio(); break;
              case "ended": state.textContent = "call ended: " + message.outcome; stopAudio(); break;
              case "error": state.textContent = message.message; break;
            }
          }
          function stopAudio() { queue = []; current = -1; if (source) { try { source.stop(); } catch (e) {} source = null; } }
          async function load(id) {
            if (!buffers.has(id)) {
              const data = await fetch("/prompts/" + encodeURIComponent(id) + ".wav").then(r => r.ok ? r.arrayBuffer() : null);
              buffers.set(id, data && audio ? await audio.decodeAudioData(data).catch(() => null) : null);
            }
            return buffers.get(id);
          }
          async function play(id, prompts) {
            stopAudio();
            current = id; queue = prompts.slice();
            while (audio && current === id && queue.length) {
              const buffer = await load(queue.shift());
              if (!buffer || current !== id) continue;
              await new Promise(done => {
                source = audio.createBufferSource();
                source.buffer = buffer;
                source.connect(audio.destination);
                source.onended = done;
                source.start();
              });
            }
          }
          document.getElementById("call-button").addEventListener("click", () => {
            if (!audio && window.AudioContext) audio = new AudioContext();
            send({ type: "call" });
          });
          document.getElementById("hangup-button").addEventListener("click", () => send({ type: "hangup" }));
          for (const button of document.querySelectorAll(".key")) {
            button.addEventListener("click", () => send({ type: "key", key: button.dataset.key }));
          }
          document.getElementById("say-form").addEventListener("submit", (event) => {
            event.preventDefault();
            const input = document.getElementById("say-text");
            if (input.value.trim()) send({ type: "say", text: input.value });
            input.value = "";
          });
          connect();
        })();
        """
}
