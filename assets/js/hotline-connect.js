// A page's connection to janus.plugin.hotline (docs/hotline-api.md): two
// tokens from Kore (Janus's, and a single-use login token for the plugin),
// janus.js over the WebSocket, login, and a new try with growing back-off
// when the token, Janus or the WebSocket fails.
// Used by the softphone (hotline.js) and the live page (live.js).
//   opts.tokenUrl   where Kore hands out the token
//   opts.audio      the <audio> element remote audio plays in
//   opts.onmessage  janus.js onmessage(msg, jsep)
//   opts.error      shows a message (Vietnamese) to the user
//   opts.onhandle   gets the plugin handle once logged in is asked, null when lost
//   opts.oncleanup  (optional) the PeerConnection closed
window.hotlineConnect = function (opts) {
  'use strict';
  let retry = 1000;
  const later = () => setTimeout(connect, retry = Math.min(retry * 2, 30000));

  async function connect() {
    let cfg;
    try {
      const r = await fetch(opts.tokenUrl, { credentials: 'same-origin' });
      if (!r.ok) throw new Error((await r.json()).error || r.status);
      cfg = await r.json();
    } catch (e) {
      opts.error(`Không lấy được quyền vào tổng đài: ${e.message}`);
      later();
      return;
    }
    // Janus refuses requests without the token Kore signed for this page.
    const janus = new Janus({
      server: cfg.janus,
      token: cfg.janus_token,
      success: () => janus.attach({
        plugin: 'janus.plugin.hotline',
        success: (h) => {
          retry = 1000;
          opts.onhandle(h);
          h.send({ message: { request: 'login', token: cfg.token } });
        },
        error: (e) => opts.error(`Không kết nối được tổng đài: ${e}`),
        onmessage: opts.onmessage,
        onremotetrack: (track, mid, on) => {
          if (track.kind === 'audio' && on) opts.audio.srcObject = new MediaStream([track]);
        },
        oncleanup: () => {
          opts.audio.srcObject = null;
          if (opts.oncleanup) opts.oncleanup();
        },
      }),
      error: () => {
        opts.error('Mất kết nối tới tổng đài, đang kết nối lại…');
        opts.onhandle(null);
        later();
      },
    });
  }

  Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies(), callback: connect });
};
