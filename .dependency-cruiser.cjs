// The layers of the code, as rules `npm test` checks (npm run structure). docs/architecture.md
// draws the picture; this file is what keeps it true. Imports point down only:
//
//   entry        src/cli/ (the command line), src/client/ (admin SDK, headless browser, SP
//                auditor), src/index.ts (the library API)
//   composition  src/harness/ (config, building a harness, createApp, listening, seeding, demo)
//   http         src/http/
//   domain       src/idp/ + src/provisioning/ (IdP side), src/sp/ + src/scim/ (SP side)
//   record       src/trace/
//   protocol     src/saml/, src/decode/ (SAML); src/scim-protocol/ (SCIM's names, spoken by both sides)
//   bottom       src/store/, src/crypto/
//   kernel       src/errors.ts, src/error-codes.ts (with error-codes-provisioning.ts, error-spec.ts), src/caught-error.ts, src/clock.ts, src/address.ts,
//                src/validation.ts, src/peer-body.ts (used by every layer, import only each other)
//
// Type-only imports count: they tie a file to another layer's shape as much as a value does.

const KERNEL = '^src/(errors|error-codes|error-codes-provisioning|error-spec|caught-error|clock|address|validation|peer-body)[.]ts$';
const COMPOSITION = '^src/harness/';
const ENTRY = '^src/(cli/|client/|index[.]ts$)';
const DOMAIN = '^src/(idp|sp|scim|provisioning)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import loop: no module may reach itself through its imports (STYLE.md, Shape).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'kernel-imports-only-kernel',
      severity: 'error',
      comment: 'The kernel modules are imported by every layer, so they import no layer.',
      from: { path: KERNEL },
      to: { path: '^src/', pathNot: KERNEL },
    },
    {
      name: 'storage-and-crypto-at-the-bottom',
      severity: 'error',
      comment: 'src/store/ and src/crypto/ import only themselves and the kernel, and not each other.',
      from: { path: '^src/(store|crypto)/' },
      to: { path: '^src/', pathNot: [KERNEL, '^src/$1/'] },
    },
    {
      name: 'protocol-below-domain',
      severity: 'error',
      comment:
        'src/saml/ and src/decode/ are the protocol: pure functions over strings, DOM, keys and a Clock. ' +
        'They import crypto and the kernel, never a side, storage, HTTP or the composition root.',
      from: { path: '^src/(saml|decode)/' },
      to: {
        path: '^src/',
        pathNot: [
          KERNEL,
          '^src/(saml|crypto)/',
          // decode explains what saml parses; saml never needs decode (a rule below).
          '^src/decode/',
        ],
      },
    },
    {
      name: 'scim-protocol-below-the-sides',
      severity: 'error',
      comment:
        'src/scim-protocol/ names what SCIM puts on the wire (URNs, media type) for the SP\'s SCIM service ' +
        'and the IdP\'s SCIM client alike: it imports the kernel only, so neither side reaches the other through it.',
      from: { path: '^src/scim-protocol/' },
      to: { path: '^src/', pathNot: [KERNEL, '^src/scim-protocol/'] },
    },
    {
      name: 'saml-does-not-import-decode',
      severity: 'error',
      comment: 'decode/ explains messages with saml/; the protocol itself never needs the explainer.',
      from: { path: '^src/saml/' },
      to: { path: '^src/decode/' },
    },
    {
      name: 'trace-records-protocol-only',
      severity: 'error',
      comment: 'The trace log records exchanges in protocol terms (check verdicts); it knows no side.',
      from: { path: '^src/trace/' },
      to: { path: '^src/', pathNot: [KERNEL, '^src/(trace|saml)/'] },
    },
    {
      name: 'domain-below-http',
      severity: 'error',
      comment:
        'The sides (idp, sp, scim, provisioning) are state and rules: no HTTP layer, no entry points, ' +
        'no composition root or resolved config (DESIGN.md, Architecture).',
      from: { path: DOMAIN },
      to: { path: ['^src/(http|cli|client)/', COMPOSITION, '^src/index[.]ts$'] },
    },
    {
      name: 'idp-side-apart-from-sp-side',
      severity: 'error',
      comment:
        'The two sides never call each other: everything between them goes over HTTP, as between ' +
        'the real products, so either can be swapped for a real peer.',
      from: { path: '^src/(idp|provisioning)/' },
      to: { path: '^src/(sp|scim)/' },
    },
    {
      name: 'sp-side-apart-from-idp-side',
      severity: 'error',
      comment: 'As above, from the SP side.',
      from: { path: '^src/(sp|scim)/' },
      to: { path: '^src/(idp|provisioning)/' },
    },
    {
      name: 'idp-reaches-provisioning-through-its-port',
      severity: 'error',
      comment:
        'The IdP declares the Identity Management port (src/idp/identity-management.ts); ' +
        'src/provisioning/ implements it and the composition root plugs it in.',
      from: { path: '^src/idp/' },
      to: { path: '^src/provisioning/' },
    },
    {
      name: 'sp-does-not-import-scim',
      severity: 'error',
      comment: 'SCIM works on the SP directory; the directory does not know SCIM exists.',
      from: { path: '^src/sp/' },
      to: { path: '^src/scim/' },
    },
    {
      name: 'scim-and-saml-apart',
      severity: 'error',
      comment: 'SCIM and SAML are two protocols that share nothing (STYLE.md, Shape).',
      from: { path: '^src/scim/' },
      to: { path: '^src/saml/' },
    },
    {
      name: 'http-below-entry-and-composition',
      severity: 'error',
      comment: 'src/http/ serves a built harness; the command line, the clients and the root sit above it.',
      from: { path: '^src/http/' },
      to: {
        path: [ENTRY, COMPOSITION],
        // The app reads the resolved config it is given.
        pathNot: '^src/harness/config[.]ts$',
      },
    },
    {
      name: 'composition-below-entry',
      severity: 'error',
      comment: 'The composition root builds a harness; the command line and the library API call it.',
      from: { path: COMPOSITION },
      to: { path: ENTRY },
    },
    {
      name: 'nothing-imports-the-command-line',
      severity: 'error',
      comment: 'src/cli/ is the top; src/index.ts is the public API and imported by nobody inside.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/(cli/|index[.]ts$)' },
    },
    {
      name: 'admin-sdk-stands-alone',
      severity: 'error',
      comment: 'The admin SDK (src/client/admin/) calls the admin APIs over HTTP and needs neither the browser nor the auditor.',
      from: { path: '^src/client/admin/' },
      to: { path: '^src/client/(browser|audit)/' },
    },
    {
      name: 'headless-browser-stands-alone',
      severity: 'error',
      comment: 'The headless browser (src/client/browser/) walks flows; the admin SDK and the auditor use it, never the reverse.',
      from: { path: '^src/client/browser/' },
      to: { path: '^src/client/(admin|audit)/' },
    },
    {
      name: 'express-only-in-http',
      severity: 'error',
      comment: 'Only src/http/ speaks Express; the protocol and the sides are callable without a server.',
      from: { path: '^src/', pathNot: '^src/http/' },
      to: { path: '^node_modules/express/' },
    },
    {
      name: 'storage-drivers-only-in-store',
      severity: 'error',
      comment: 'Nothing else touches storage (DESIGN.md): SQLite and PostgreSQL drivers live in src/store/.',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: '^node_modules/(better-sqlite3|pg|pg-[^/]+)/' },
    },
    {
      name: 'source-does-not-import-tests',
      severity: 'error',
      comment: 'The shipped code never depends on test support.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too (see the top of this file).
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    cache: false,
  },
};
