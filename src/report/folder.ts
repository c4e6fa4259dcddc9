import fs from "fs";
import path from "path";
import { InputError } from "../errors";

/**
 * The folder a report is written to: `rootDir/<name>`, made if missing. `name` must be one path segment that stays
 * inside `rootDir` (not ".", "..", absolute, nor holding a separator), so no input writes outside the reports folder.
 */
export function reportFolder(rootDir: string, name: string, field = "name"): string {
  const root = path.resolve(rootDir);
  const dir = path.resolve(root, name);
  if (name === "" || /^\.+$/.test(name) || /[\\/]/.test(name) || path.dirname(dir) !== root) {
    throw new InputError(field, `"${name}" does not name a folder inside ${root}`, "use letters, digits, . _ and -");
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
