// Writes dist/cli.js, the package's bin: tsc keeps the cli/ folder, so the entry point lives one level down.
import { writeFileSync, chmodSync } from 'node:fs';
const bin = new URL('../dist/cli.js', import.meta.url);
writeFileSync(bin, "#!/usr/bin/env node\nimport './cli/main.js';\n");
chmodSync(bin, 0o755);
