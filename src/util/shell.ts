/** POSIX shell quoting: one single-quoted word; a `'` inside becomes `'"'"'`, as sigmac writes it. */
export function shellSingleQuote(text: string): string {
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}
