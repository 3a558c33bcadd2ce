/**
 * Word-level differences between two texts, for the revision history. The `diff` library does the
 * work; this module only shapes its result into segments the page renders accessibly (e.g. `<ins>`
 * and `<del>` with visually hidden "added"/"removed" labels).
 */
import { diffWordsWithSpace } from 'diff';

export type DiffSegmentKind = 'added' | 'removed' | 'unchanged';

export interface DiffSegment {
	kind: DiffSegmentKind;
	text: string;
}

export interface TextDiff {
	segments: DiffSegment[];
	/** Words added and removed, for a summary line ("12 ord tillagda, 3 borttagna"). */
	addedWords: number;
	removedWords: number;
	changed: boolean;
}

const countWords = (text: string) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;

export function diffTexts(before: string, after: string): TextDiff {
	const segments: DiffSegment[] = [];
	let addedWords = 0;
	let removedWords = 0;
	for (const change of diffWordsWithSpace(before, after)) {
		const kind: DiffSegmentKind = change.added ? 'added' : change.removed ? 'removed' : 'unchanged';
		if (!change.value) continue;
		if (kind === 'added') addedWords += countWords(change.value);
		if (kind === 'removed') removedWords += countWords(change.value);
		const last = segments.at(-1);
		// Adjacent segments of the same kind read better as one.
		if (last && last.kind === kind) last.text += change.value;
		else segments.push({ kind, text: change.value });
	}
	return { segments, addedWords, removedWords, changed: segments.some((s) => s.kind !== 'unchanged') };
}
