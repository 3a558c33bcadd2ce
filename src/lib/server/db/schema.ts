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
}

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
	id: Generated<string>;
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
}

export type Organisation = Selectable<OrganisationTable>;
export type Track = Selectable<TrackTable>;
export type Theme = Selectable<ThemeTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Thread = Selectable<ThreadTable>;
export type Post = Selectable<PostTable>;
