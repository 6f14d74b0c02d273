// After `tsc -p tsconfig.build.json`: the files the code reads at run time (stylesheets, scripts, seed data) go
// beside the compiled JavaScript, at the same place relative to it as in src/.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const [from, to] = [path.resolve(process.argv[2] ?? 'src'), path.resolve(process.argv[3] ?? 'dist')];
const compiled = /\.(ts|tsx)$/;
let copied = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full);
    else if (!compiled.test(entry) && !entry.endsWith('.md')) {
      cpSync(full, path.join(to, path.relative(from, full)));
      copied += 1;
    }
  }
};
walk(from);
process.stdout.write(`${copied} files copied from ${path.relative(process.cwd(), from) || '.'} to ${path.relative(process.cwd(), to) || '.'}\n`);
