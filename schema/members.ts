import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { workspaces } from './workspaces';

/** What a member may do in a workspace (issue 14): owners everything, admins settings but not owners, members read. */
export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** The languages of the team app (a person's setting; unset = the browser's Accept-Language). */
export const APP_LOCALES = ['en', 'it'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

/** A person who signs in to the team app. One account, any number of workspaces. */
export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(), // per_…
    /** Lower-cased; the sign-in name. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** `scrypt$N$r$p$salt$hash` (lib/password.ts): the parameters travel with the hash so they can be raised later. */
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').$type<AppLocale>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('people_email_idx').on(t.email)],
);

/** A person's role in one workspace. */
export const memberships = sqliteTable(
  'memberships',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    role: text('role').$type<Role>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.workspaceId] }), index('memberships_workspace_id_idx').on(t.workspaceId)],
);

/**
 * Signed-in browsers. The cookie holds a random token; only its SHA-256 is stored (the id), so a
 * copy of the database signs nobody in.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(), // hex SHA-256 of the token
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    /** The workspace the person is looking at (the switcher changes it). */
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Idle expiry: moved forward as the session is used (at most once a minute). */
    expiresAt: integer('expires_at').notNull(),
    /** "Chrome on Linux": enough to recognise a browser in the Sessions list. */
    userAgent: text('user_agent').notNull(),
  },
  (t) => [index('sessions_person_id_idx').on(t.personId)],
);

export const INVITATION_KINDS = ['setup', 'invite'] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];

/** One-time links into a workspace: the owner's setup link and invitations. Stored by the token's SHA-256. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(), // hex SHA-256 of the token
    kind: text('kind').$type<InvitationKind>().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    role: text('role').$type<Role>().notNull(),
    /** Invitations: who is invited (their sign-in email). Setup links: null (the owner types it). */
    email: text('email'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('invitations_workspace_id_idx').on(t.workspaceId, t.createdAt)],
);

/** Failed sign-ins per email, for throttling (5 in 15 minutes). Rows older than the window are pruned. */
export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('sign_in_attempts_email_idx').on(t.email, t.at)],
);
