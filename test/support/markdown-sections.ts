/** A markdown document as its `##` sections, each with its text and its `###` subsections. */
export interface DocSection {
  text: string;
  subsections: Map<string, string>;
}

/** Headings inside fenced code blocks are text, not headings. */
export function markdownSections(markdown: string): Map<string, DocSection> {
  const sections = new Map<string, DocSection>();
  let section: DocSection | undefined;
  let sub: string | undefined;
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h2 = !fenced && /^## (.+)$/.exec(line);
    const h3 = !fenced && /^### (.+)$/.exec(line);
    if (h2) {
      section = { text: '', subsections: new Map() };
      sections.set(h2[1]!.trim(), section);
      sub = undefined;
    } else if (h3 && section) {
      sub = h3[1]!.trim();
      section.subsections.set(sub, '');
    } else if (section) {
      section.text += `${line}\n`;
      if (sub !== undefined) section.subsections.set(sub, `${section.subsections.get(sub)}${line}\n`);
    }
  }
  return sections;
}

/** The text between backticks in a heading such as "### `create_server`". */
export const codeName = (heading: string) => /^`([^`]+)`/.exec(heading)?.[1];
