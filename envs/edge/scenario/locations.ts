// Where a scenario problem is: the line and column of a JSON syntax error (Node 20's JSON.parse
// gives no position), and file paths shown relative to the working directory.

import { isAbsolute, relative } from 'node:path';

/** JSON.parse's message (on one line) with the line and column of the first error. */
export function jsonErrorWhere(message: string, text: string): string {
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  const offset = jsonErrorOffset(text);
  if (offset < 0) return oneLine;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${oneLine} (line ${line}, column ${column})`;
}

/**
 * Offset of the first character that makes `text` invalid JSON (−1 if it is valid). Node 20's
 * JSON.parse messages carry no position, so a failed parse is scanned again to find it.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') fail();
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const sequence = (close: string, item: () => void): void => {
    i++; // opening bracket
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail();
    }
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      sequence('}', () => {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
      });
    } else if (ch === '[') sequence(']', value);
    else if (ch === '"') string();
    else {
      for (const literal of ['true', 'false', 'null']) {
        if (text.startsWith(literal, i)) {
          i += literal.length;
          return;
        }
      }
      number.lastIndex = i;
      if (!number.test(text)) fail();
      i = number.lastIndex;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return -1;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

/** A path as short as it can be shown: relative to the working directory when inside it. */
export function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
