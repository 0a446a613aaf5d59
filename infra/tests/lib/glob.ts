const escape = (text: string) => text.replace(/[.+^$()|[\]\\]/g, '\\$&');

/**
 * The glob dialect skaffold and .dockerignore-style paths use: `**` spans
 * folders (also none), `*` and `?` stay within one, `{a,b}` picks one.
 */
export const globToRegExp = (glob: string): RegExp => {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) throw new Error(`unclosed { in glob ${glob}`);
      const alternatives = glob.slice(i + 1, end).split(',');
      source += `(?:${alternatives.map(escape).join('|')})`;
      i = end;
    } else source += escape(char);
  }
  return new RegExp(`^${source}$`);
};

export const matchGlob = (glob: string, files: string[]): string[] => {
  const pattern = globToRegExp(glob.replace(/^\.\//, ''));
  return files.filter((file) => pattern.test(file));
};
