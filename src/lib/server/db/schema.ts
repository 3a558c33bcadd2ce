/** Table types for Kysely, written by hand to match db/migrations. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type Role = 'participant' | 'moderator' | 'admin';
export type Locale = 'sv' | 'en';
export type OrganisationKind = 'municipality' | 'region' | 'agency' | 'other';
export type Visibility = 'public' | 'members';

export interface OrganisationTable {
	id: Generated<number>;
	kind: OrganisationKind;
	code: string | null;
	slug: string;
	name: string;
	short_name: string;
	county_code: string | null;
	county_name: string | null;
	created_at: CreatedAt;
}

export interface TrackTable {
	id: Generated<number>;
	slug: string;
	name: string;
	name_en: string;
	description: string;
	description_en: string;
	position: Generated<number>;
}

export interface ThemeTable {
	id: Generated<number>;
	slug: string;
	name: string;
	name_en: string;
	description: string;
	description_en: string;
	default_visibility: Generated<Visibility>;
	position: Generated<number>;
}

export interface ThemeTrackTable {
	theme_id: number;
	track_id: number;
}

export interface OrganisationTrackTable {
	organisation_id: number;
	track_id: number;
	created_at: CreatedAt;
}

export interface UserTable {
	id: Generated<number>;
	email: string;
	name: string;
	title: Generated<string>;
	organisation_id: number;
	role: Role;
	locale: Locale | null;
	password_hash: string;
	/** For @mentions: derived from the name at sign-up, unique. */
	handle: string;
	created_at: CreatedAt;
	/** Set by a moderator (0004); a suspended member reads but does not write. */
	suspended_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	suspension_reason: ColumnType<string | null, string | null | undefined, string | null>;
	suspended_by: ColumnType<number | null, number | null | undefined, number | null>;
	/** Following and digests (0005). */
	auto_watch_started: Generated<boolean>;
	auto_track_replied: Generated<boolean>;
	digest: Generated<DigestFrequency>;
	digest_sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type DigestFrequency = 'off' | 'daily' | 'weekly';

export interface SessionTable {
	id: string;
	user_id: number;
	expires_at: Timestamp;
	created_at: CreatedAt;
}

export interface InvitationTable {
	id: Generated<number>;
	token_hash: string;
	email: string;
	organisation_id: number;
	role: Role;
	invited_by: number | null;
	created_at: CreatedAt;
	expires_at: Timestamp;
	accepted_at: Timestamp | null;
	accepted_user_id: number | null;
	revoked_at: Timestamp | null;
}

export type ApplicationStatus = 'pending' | 'approved' | 'declined';

export interface MembershipApplicationTable {
	id: Generated<number>;
	name: string;
	email: string;
	title: Generated<string>;
	organisation_id: number;
	reason: string;
	status: Generated<ApplicationStatus>;
	created_at: CreatedAt;
	decided_by: number | null;
	decided_at: Timestamp | null;
	decision_note: string | null;
	invitation_id: number | null;
}

export interface SignInAttemptTable {
	/** bigserial; int8 is parsed to a number (db/index.ts), and PGlite returns one too. */
	id: Generated<number>;
	email: string;
	ip: string;
	succeeded: boolean;
	created_at: CreatedAt;
}

export interface AccessibilityReportTable {
	id: Generated<number>;
	page_url: string;
	description: string;
	contact_name: string | null;
	contact_email: string | null;
	user_id: number | null;
	created_at: CreatedAt;
	handled_at: Timestamp | null;
	handled_by: number | null;
}

export interface ThreadTable {
	id: Generated<number>;
	theme_id: number;
	author_id: number;
	title: string;
	slug: string;
	visibility: Visibility;
	pinned: Generated<boolean>;
	locked: Generated<boolean>;
	post_count: Generated<number>;
	created_at: CreatedAt;
	last_posted_at: ColumnType<Date, Date | string | undefined, Date | string>;
	last_post_author_id: number | null;
	/** Generated from the title (0005); never written. */
	search_vector: ColumnType<string, never, never>;
}

export interface PostTable {
	id: Generated<number>;
	thread_id: number;
	number: number;
	author_id: number;
	source: string;
	html: string;
	renderer_version: number;
	reply_to_post_id: number | null;
	created_at: CreatedAt;
	edited_at: Timestamp | null;
	revision_count: Generated<number>;
	deleted_at: Timestamp | null;
	deleted_by: number | null;
	/** Hidden by a moderator (0004): the author and moderators still see it, marked. */
	hidden_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	hidden_by: ColumnType<number | null, number | null | undefined, number | null>;
	hidden_reason: ColumnType<string | null, string | null | undefined, string | null>;
	/** Generated from the Markdown source (0005); never written. */
	search_vector: ColumnType<string, never, never>;
}

export interface PostRevisionTable {
	id: Generated<number>;
	post_id: number;
	number: number;
	source: string;
	editor_id: number;
	created_at: CreatedAt;
}

export type ReactionKind = 'like' | 'insightful' | 'thanks';

export interface ReactionTable {
	post_id: number;
	user_id: number;
	kind: ReactionKind;
	created_at: CreatedAt;
}

export interface ThreadReadTable {
	user_id: number;
	thread_id: number;
	last_read_number: number;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ApiTokenTable {
	id: Generated<number>;
	user_id: number;
	name: string;
	token_hash: string;
	created_at: CreatedAt;
	last_used_at: Timestamp | null;
	revoked_at: Timestamp | null;
}

// ---- Curation, wiki and moderation (0004) ------------------------------------------------------

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** jsonb: written as a JSON string, read back parsed. */
type Json<T> = ColumnType<T, string | undefined, string>;

export type Classification = 'good_example' | 'enabler' | 'obstacle' | 'lesson';
export type NominationStatus = 'pending' | 'promoted' | 'declined' | 'withdrawn';
export type ProposalStatus = 'pending' | 'accepted' | 'rejected';
export type ReportStatus = 'open' | 'resolved' | 'dismissed';

export interface NominationTable {
	id: Generated<number>;
	post_id: number;
	nominator_id: number;
	reason: string;
	classification: Nullable<Classification>;
	status: Generated<NominationStatus>;
	created_at: CreatedAt;
	decided_by: Nullable<number>;
	decided_at: Nullable<Date | string>;
	decision_reason: Nullable<string>;
	wiki_page_id: Nullable<number>;
}

export interface WikiPageTable {
	id: Generated<number>;
	slug: string;
	title: string;
	track_id: number;
	theme_id: Nullable<number>;
	classification: Nullable<Classification>;
	summary: Generated<string>;
	visibility: Generated<Visibility>;
	featured_at: Nullable<Date | string>;
	/**
	 * A `date`, written as 'YYYY-MM-DD'. Selected as it is, the driver turns it into a Date at local
	 * midnight; read it as text (`next_review_on::text`) instead to avoid time-zone shifts.
	 */
	next_review_on: ColumnType<Date | null, string | null | undefined, string | null>;
	problem: Nullable<string>;
	what_was_done: Nullable<string>;
	result: Nullable<string>;
	effort: Nullable<string>;
	contact_name: Nullable<string>;
	contact_organisation_id: Nullable<number>;
	current_revision_id: Nullable<number>;
	revision_count: Generated<number>;
	created_by: Nullable<number>;
	created_at: CreatedAt;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
	/** Kept by the wiki's write path (0005): the body lives in the current revision. Write it with sql. */
	search_vector: ColumnType<string, never, never>;
}

/** Everything on a wiki page besides title and body, as stored with each revision. */
export interface WikiPageFields {
	summary: string;
	trackId: number;
	themeId: number | null;
	classification: Classification | null;
	visibility: Visibility;
	nextReviewOn: string | null;
	problem: string | null;
	whatWasDone: string | null;
	result: string | null;
	effort: string | null;
	contactName: string | null;
	contactOrganisationId: number | null;
	organisationIds: number[];
	tags: string[];
}

export interface WikiRevisionTable {
	id: Generated<number>;
	page_id: number;
	number: number;
	title: string;
	body: string;
	html: string;
	renderer_version: number;
	change_summary: Generated<string>;
	fields: Json<WikiPageFields>;
	reverted_from: Nullable<number>;
	author_id: number;
	created_at: CreatedAt;
}

export interface WikiPageOrganisationTable {
	page_id: number;
	organisation_id: number;
}

export interface WikiPageTagTable {
	page_id: number;
	tag: string;
}

export interface WikiSlugRedirectTable {
	slug: string;
	page_id: number;
	created_at: CreatedAt;
}

export interface WikiLinkTable {
	page_id: number;
	target_slug: string;
}

export interface WikiSourceTable {
	id: Generated<number>;
	page_id: number;
	post_id: number | null;
	thread_id: number | null;
	nomination_id: number | null;
	author_id: number | null;
	author_name: string;
	organisation_id: number | null;
	organisation_name: string;
	thread_title: string;
	post_number: number | null;
	posted_at: Timestamp;
	added_by: number | null;
	created_at: CreatedAt;
}

export interface WikiEditProposalTable {
	id: Generated<number>;
	page_id: number;
	proposer_id: number;
	base_revision_id: number | null;
	title: string;
	body: string;
	change_summary: string;
	status: Generated<ProposalStatus>;
	created_at: CreatedAt;
	decided_by: Nullable<number>;
	decided_at: Nullable<Date | string>;
	decision_reason: Nullable<string>;
	revision_id: Nullable<number>;
}

export interface ReportTable {
	id: Generated<number>;
	post_id: number;
	reporter_id: number;
	reason: string;
	status: Generated<ReportStatus>;
	created_at: CreatedAt;
	resolved_by: Nullable<number>;
	resolved_at: Nullable<Date | string>;
	resolution_note: Nullable<string>;
}

export interface AuditLogTable {
	id: Generated<number>;
	actor_id: number | null;
	action: string;
	target_type: string;
	target_id: number | null;
	details: Json<Record<string, unknown>>;
	created_at: CreatedAt;
}

export interface NotificationTable {
	id: Generated<number>;
	user_id: number;
	kind: string;
	payload: Json<Record<string, unknown>>;
	created_at: CreatedAt;
	read_at: Nullable<Date | string>;
	/** 0005 */
	actor_id: Nullable<number>;
	thread_id: Nullable<number>;
	post_id: Nullable<number>;
	wiki_page_id: Nullable<number>;
	group_key: Nullable<string>;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
	emailed_at: Nullable<Date | string>;
}

// ---- Find and follow (0005) ---------------------------------------------------------------------

export type FollowLevel = 'watching' | 'tracking' | 'normal' | 'muted';

export interface ThreadFollowTable {
	user_id: number;
	thread_id: number;
	level: FollowLevel;
	automatic: Generated<boolean>;
	created_at: CreatedAt;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ThemeFollowTable {
	user_id: number;
	theme_id: number;
	level: FollowLevel;
	automatic: Generated<boolean>;
	created_at: CreatedAt;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type NotificationChannel = 'app' | 'email' | 'off';

export interface NotificationPreferenceTable {
	user_id: number;
	kind: string;
	channel: NotificationChannel;
}

export interface JobTable {
	/** bigint identity, parsed to a number (db/index.ts). */
	id: Generated<number>;
	kind: string;
	payload: Json<Record<string, unknown>>;
	key: Nullable<string>;
	run_at: ColumnType<Date, Date | string | undefined, Date | string>;
	attempts: Generated<number>;
	max_attempts: Generated<number>;
	locked_until: Nullable<Date | string>;
	last_error: Nullable<string>;
	created_at: CreatedAt;
	done_at: Nullable<Date | string>;
	failed_at: Nullable<Date | string>;
}

export interface AppSecretTable {
	name: string;
	value: string;
	created_at: CreatedAt;
}

export interface Database {
	organisations: OrganisationTable;
	tracks: TrackTable;
	themes: ThemeTable;
	theme_tracks: ThemeTrackTable;
	organisation_tracks: OrganisationTrackTable;
	users: UserTable;
	sessions: SessionTable;
	invitations: InvitationTable;
	membership_applications: MembershipApplicationTable;
	sign_in_attempts: SignInAttemptTable;
	accessibility_reports: AccessibilityReportTable;
	threads: ThreadTable;
	posts: PostTable;
	post_revisions: PostRevisionTable;
	reactions: ReactionTable;
	thread_reads: ThreadReadTable;
	api_tokens: ApiTokenTable;
	nominations: NominationTable;
	wiki_pages: WikiPageTable;
	wiki_revisions: WikiRevisionTable;
	wiki_page_organisations: WikiPageOrganisationTable;
	wiki_page_tags: WikiPageTagTable;
	wiki_slug_redirects: WikiSlugRedirectTable;
	wiki_links: WikiLinkTable;
	wiki_sources: WikiSourceTable;
	wiki_edit_proposals: WikiEditProposalTable;
	reports: ReportTable;
	audit_log: AuditLogTable;
	notifications: NotificationTable;
	thread_follows: ThreadFollowTable;
	theme_follows: ThemeFollowTable;
	notification_preferences: NotificationPreferenceTable;
	jobs: JobTable;
	app_secrets: AppSecretTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type Track = Selectable<TrackTable>;
export type Theme = Selectable<ThemeTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Thread = Selectable<ThreadTable>;
export type Post = Selectable<PostTable>;
