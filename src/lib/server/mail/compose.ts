/**
 * One layout for every list mail: a heading, an intro, a list of items each with a link and a few
 * lines, and a footer saying why the mail came and how to stop it. Rendered twice — plain text and
 * a simple HTML alternative (one column, real headings and lists, `lang` set, no images, colours
 * with AA contrast) — from the same content, so the two never say different things.
 */
import type { Locale } from '../db/schema';

export interface MailItem {
	title: string;
	href: string;
	/** Short lines under the title (who, how many, the first words). Plain text. */
	lines?: string[];
}

export interface MailSection {
	heading?: string;
	items: MailItem[];
}

export interface MailContent {
	locale: Locale;
	subject: string;
	greeting: string;
	intro: string;
	sections: MailSection[];
	/** Why this mail came, then the way out. */
	reason: string;
	unsubscribe: { label: string; url: string };
	settings: { label: string; url: string };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function renderMailText(content: MailContent): string {
	const out: string[] = [content.greeting, '', content.intro, ''];
	for (const section of content.sections) {
		if (section.heading) out.push(section.heading, '-'.repeat(Math.min(section.heading.length, 60)));
		for (const item of section.items) {
			out.push(`* ${item.title}`);
			for (const line of item.lines ?? []) out.push(`  ${line}`);
			out.push(`  ${item.href}`, '');
		}
	}
	out.push('-- ', content.reason, `${content.settings.label}: ${content.settings.url}`, `${content.unsubscribe.label}: ${content.unsubscribe.url}`);
	return out.join('\n');
}

export function renderMailHtml(content: MailContent): string {
	const e = escapeHtml;
	const sections = content.sections
		.map((section) => {
			const items = section.items
				.map(
					(item) =>
						`<li style="margin:0 0 16px"><a href="${e(item.href)}" style="color:#0b5394;font-weight:bold">${e(item.title)}</a>` +
						(item.lines ?? []).map((line) => `<br><span style="color:#333333">${e(line)}</span>`).join('') +
						'</li>'
				)
				.join('');
			return (section.heading ? `<h2 style="font-size:18px;margin:24px 0 8px">${e(section.heading)}</h2>` : '') + `<ul style="padding-left:20px;margin:0">${items}</ul>`;
		})
		.join('');
	return `<!doctype html>
<html lang="${content.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(content.subject)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
<main style="max-width:600px;margin:0 auto">
<h1 style="font-size:22px;margin:0 0 16px">${e(content.subject)}</h1>
<p>${e(content.greeting)}</p>
<p>${e(content.intro)}</p>
${sections}
<hr style="border:0;border-top:1px solid #767676;margin:24px 0 12px">
<footer style="font-size:14px;color:#333333">
<p>${e(content.reason)}</p>
<p><a href="${e(content.settings.url)}" style="color:#0b5394">${e(content.settings.label)}</a> · <a href="${e(content.unsubscribe.url)}" style="color:#0b5394">${e(content.unsubscribe.label)}</a></p>
</footer>
</main>
</body>
</html>`;
}

/** The first words of a post's Markdown source, for a preview line: no markup, one line. */
export function firstWords(source: string, max = 160): string {
	const plain = source
		.replace(/```[\s\S]*?```/g, ' ')
		.replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/^>.*$/gm, ' ')
		.replace(/[#*_`>~|-]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}
