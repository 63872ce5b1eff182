// A digest with its links resolved, as each channel wants it: plain text and HTML mail, a
// Slack-compatible webhook message, and Atom entries. Pure; every piece of text is escaped for
// its format, since titles, problems and proposals are whatever people typed.
import { Feed } from "feed";
import type { Digest } from "./content";

export function renderText(d: Digest<string>): string {
  const out = [d.title, d.period, ""];
  for (const s of d.sections) {
    out.push(`${s.title} (${s.href})`);
    for (const l of s.lines) out.push(`- ${l.text}`, `  ${l.href}`);
    out.push("");
  }
  return out.join("\n");
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export function renderHtml(d: Digest<string>): string {
  const sections = d.sections
    .map(
      (s) =>
        `<h2><a href="${escapeHtml(s.href)}">${escapeHtml(s.title)}</a></h2>\n<ul>\n${s.lines
          .map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></li>`)
          .join("\n")}\n</ul>`,
    )
    .join("\n");
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(d.title)}</title></head><body>\n<h1>${escapeHtml(d.title)}</h1>\n<p>${escapeHtml(d.period)}</p>\n${sections}\n</body></html>\n`;
}

/** Slack's mrkdwn escapes only these three; a `|` or `>` in a link would end it early. */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const mrkdwnLink = (href: string, text: string) => `<${escapeMrkdwn(href).replace(/\|/g, "%7C")}|${escapeMrkdwn(text)}>`;

/** Slack's limit on a section block's text. */
const BLOCK_TEXT_LIMIT = 3000;

export interface SlackMessage {
  text: string;
  blocks: ({ type: "header"; text: { type: "plain_text"; text: string } } | { type: "section"; text: { type: "mrkdwn"; text: string } })[];
}

/** `text` is the notification's fallback; the blocks carry one linked line per digest line. */
export function renderSlack(d: Digest<string>): SlackMessage {
  const blocks: SlackMessage["blocks"] = [{ type: "header", text: { type: "plain_text", text: d.title.slice(0, 150) } }];
  for (const s of d.sections) {
    let text = `*${mrkdwnLink(s.href, s.title)}*`;
    for (const l of s.lines) {
      const line = `\n• ${mrkdwnLink(l.href, l.text)}`;
      // A long section goes on in another block rather than being cut.
      if (text.length + line.length > BLOCK_TEXT_LIMIT) {
        blocks.push({ type: "section", text: { type: "mrkdwn", text } });
        text = line.slice(1);
      } else text += line;
    }
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  }
  return { text: escapeMrkdwn(`${d.title} (${d.period})`), blocks };
}

/** An Atom feed of digests, newest first; each entry's id is its page's address. */
export function renderAtom(feed: { title: string; id: string; link: string; updated: Date; entries: { digest: Digest<string>; link: string; updated: Date }[] }): string {
  const f = new Feed({ id: feed.id, title: feed.title, link: feed.link, updated: feed.updated, generator: false, feedLinks: { atom: feed.id } });
  for (const e of feed.entries) {
    const html = renderHtml(e.digest);
    f.addItem({ title: e.digest.title, id: e.link, link: e.link, date: e.updated, description: e.digest.period, content: html.slice(html.indexOf("<h1>"), html.lastIndexOf("</body>")) });
  }
  return f.atom1();
}
