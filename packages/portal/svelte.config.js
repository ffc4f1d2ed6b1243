import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    // Portal pages send Referrer-Policy: no-referrer, so JavaScript-free form posts carry
    // `Origin: null`; src/lib/security/csrf.ts checks those with Sec-Fetch-Site in the handle hook.
    csrf: { trustedOrigins: ['null'] },
    csp: {
      // Nonces on rendered pages, hashes on prerendered ones; Kit adds them to script-src/style-src.
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // Kit's client adds one inline style attribute: the route announcer's visually-hidden
        // style (.svelte-kit/generated/root.svelte). Allow exactly that value and nothing else;
        // the smoke test fails on any CSP violation, so a changed announcer shows up there.
        'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        // Merchant logos may be hosted anywhere over HTTPS.
        'img-src': ['self', 'https:', 'data:'],
        'object-src': ['none'],
        'frame-ancestors': ['none'],
        'form-action': ['self'],
        'base-uri': ['none'],
      },
    },
  },
};

export default config;
