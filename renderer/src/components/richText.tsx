/**
 * A translated sentence with elements inside it (`<code>` around a method's name). The catalog
 * keeps the whole sentence, with an argument where an element goes; the argument is given its own
 * name as a marker, and the marker is replaced by the element (no sentence cut into pieces).
 */
import { Fragment, type ReactNode } from 'react';

/** The values that leave a marker `{name}` in the translated text for each element. */
export const markers = (parts: Record<string, ReactNode>): Record<string, string> =>
  Object.fromEntries(Object.keys(parts).map((name) => [name, `{${name}}`]));

/** `text` with each marker replaced by its element. */
export function richText(text: string, parts: Record<string, ReactNode>): ReactNode {
  return text.split(/(\{\w+\})/).map((piece, index) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    const part = name !== undefined && name in parts ? parts[name] : piece;
    // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one fixed sentence, never reordered
    return <Fragment key={index}>{part}</Fragment>;
  });
}
