// The engine's event stream (GET /v1/events, text/event-stream) read with fetch, so the bearer
// token travels in the Authorization header; reconnects with Last-Event-ID after a drop.
export function openStream({ token, onEvent, onState }) {
  let stopped = false;
  let lastId = null;
  let controller = null;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Accept: 'text/event-stream' };
        if (token) headers.Authorization = 'Bearer ' + token;
        if (lastId !== null) headers['Last-Event-ID'] = String(lastId);
        const r = await fetch('/v1/events', { headers, signal: controller.signal, cache: 'no-store' });
        if (!r.ok) {
          onState('off', r.status === 401 ? 'sign in to receive notifications' : 'stream refused: HTTP ' + r.status);
          if (r.status === 401 || r.status === 403) return;
          throw new Error('HTTP ' + r.status);
        }
        onState('live', 'live');
        const reader = r.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = parse(frame);
            if (ev) {
              if (ev.id !== null) lastId = ev.id;
              try { onEvent(ev); } catch (e) { console.error(e); }
            }
          }
        }
      } catch (e) {
        if (stopped) return;
        onState('retrying', 'reconnecting…');
      }
      if (!stopped) await new Promise((res) => setTimeout(res, 2000));
    }
  }
  run();
  return () => { stopped = true; if (controller) controller.abort(); };
}

function parse(frame) {
  let id = null;
  let type = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':') || !line) continue;
    const k = line.indexOf(':');
    const field = k < 0 ? line : line.slice(0, k);
    const value = k < 0 ? '' : line.slice(k + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  try {
    return { id, type, body: JSON.parse(data.join('\n')) };
  } catch (e) {
    return null;
  }
}
