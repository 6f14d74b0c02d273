import { createInterface } from 'node:readline/promises';
import { hashPassword } from '../web/routes/admin/password.ts';

/**
 * Prints the ADMIN_USERS entry of an operator: `npx tsx src/cli/hash-admin-password.ts alice` then type the
 * password (read from standard input, so that it stays out of the shell history).
 */
const name = process.argv[2];
if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
  console.error('usage: tsx src/cli/hash-admin-password.ts <name> (letters, digits, . _ -), password on standard input');
  process.exit(2);
}
const input = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
const password = (await input.question('password: ')).trim();
input.close();
if (password.length < 12) {
  console.error('the password must be at least 12 characters long');
  process.exit(2);
}
console.log(`${name}:${await hashPassword(password)}`);
