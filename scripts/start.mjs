#!/usr/bin/env node
// `npm start`. The desktop window is not part of the project yet, so this says what to use
// instead in one sentence rather than failing with a stack trace.
console.error(
  'The Porthole desktop window is not built yet; use the terminal version instead: `npx porthole host` to host a room, `npx porthole join <invite>` to join one.',
);
process.exit(1);
