import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, click } from '../contract/client';
import {
  changeAgentNames,
  changeFollowUpSettings,
  changeSurveyFollowUps,
  exportFollowUpsCsv,
  getFollowUp,
  listFollowUps,
  reassignFollowUps,
  updateFollowUp,
} from '../../worker/services/followups';
import { AppError } from '../../worker/lib/errors';
import { startNodeHarness } from './harness';

/**
 * What the team app (branch followups-app) calls below the API: the CSV export, reassigning many,
 * the workspace settings (due hours, root causes), members' agent names and the survey's priority
 * rule and default owner. Runtime-independent services, on the real Node service and database.
 */
describe('follow-up services for the team app', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  let deps: { db: typeof h.db; clock: () => Date };
  beforeAll(async () => {
    h = await startNodeHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' });
    deps = { db: h.db, clock: h.clock };
  });
  afterAll(() => h.close());

  let seq = 0;
  async function workspace() {
    const { id, apiKey } = await h.newWorkspace('Loop');
    const api = new Api(h, apiKey);
    const survey = await api.createSurvey({ scale: 'csat5' });
    const member = async (name: string) => {
      const person = `per_${String(++seq).padStart(16, '0')}`;
      await h.query(`INSERT INTO people (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'x', 0)`, [person, `${name.toLowerCase()}${seq}@team.example.com`, name]);
      await h.query(`INSERT INTO memberships (person_id, workspace_id, role, created_at) VALUES (?, ?, 'member', 0)`, [person, id]);
      return { id: person, email: `${name.toLowerCase()}${seq}@team.example.com` };
    };
    const open = async (score: number, extra: { agent?: string; recipient?: string; subject?: string } = {}) => {
      const minted = await api.mint(survey.id, extra.subject ?? `S-${++seq}`, extra.recipient ?? `c${seq}@example.com`, extra.agent ? { agent: extra.agent } : {});
      const rsp = await click(h, minted.links.find((l) => l.score === score)!.url);
      return (await h.query('SELECT id, priority, owner_person_id, due_at, created_at FROM followups WHERE response_id = ?', [rsp]))[0];
    };
    return { id, api, survey, member, open };
  }

  async function rejection(promise: Promise<unknown>): Promise<{ code: string; field?: string }> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, 'an AppError').toBeInstanceOf(AppError);
    return { code: (error as AppError).code, field: ((error as AppError).details as { field?: string } | undefined)?.field };
  }

  describe('happy path', () => {
    it('exports the filtered list as CSV (BOM, header, formulas neutralised), every page', async () => {
      const w = await workspace();
      await w.open(1, { subject: '=HYPERLINK("http://evil")', recipient: 'csv@example.com' });
      await w.open(2, { subject: 'T-plain' });
      await w.open(4, { subject: 'T-happy' });
      // The BOM is kept by the bytes (Response.text() would strip it).
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(exportFollowUpsCsv(deps, w.id, { sort: 'created' }, null)).arrayBuffer());
      const lines = text.split('\r\n');
      expect(lines[0]!.startsWith('\uFEFFid,status,priority,owner,survey,ticket,customer')).toBe(true);
      expect(lines.filter(Boolean)).toHaveLength(3);
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(lines[2]).toContain('T-plain');
      const filtered = await new Response(exportFollowUpsCsv(deps, w.id, { q: 'csv@example.com' }, null)).text();
      expect(filtered.split('\r\n').filter(Boolean)).toHaveLength(2);
    });

    it('reassigns many at once, logged with the person acting; "me" lists what a person owns', async () => {
      const w = await workspace();
      const lead = await w.member('Lead');
      const maria = await w.member('Maria');
      const a = await w.open(1);
      const b = await w.open(1);
      expect(await reassignFollowUps(deps, w.id, [String(a!.id), String(b!.id)], maria.email, lead.id)).toBe(2);
      expect(await reassignFollowUps(deps, w.id, [String(a!.id), String(b!.id)], maria.id, lead.id)).toBe(0);
      const mine = await listFollowUps(deps, w.id, { owner: 'me' }, maria.id);
      expect(mine.data.map((f) => f.id).sort()).toEqual([String(a!.id), String(b!.id)].sort());
      const detail = await getFollowUp(deps, w.id, String(a!.id));
      expect(detail.log.at(-1)).toMatchObject({ action: 'owner', actor: { id: lead.id }, to: maria.email });
      const resolved = await updateFollowUp(deps, w.id, String(a!.id), { status: 'resolved', resolution: { rootCause: 'other', solved: true } }, maria.id);
      expect(resolved.log.at(-2)).toMatchObject({ action: 'status', actor: { id: maria.id } });
    });

    it('the workspace due hours and root causes, the survey priority rule and default owner, and agent names drive new follow-ups', async () => {
      const w = await workspace();
      const lead = await w.member('Lead');
      const maria = await w.member('Maria');
      expect(await changeFollowUpSettings(deps, w.id, { dueHours: { high: 2, critical: 1 }, rootCauses: ['Bug', ' Bug ', 'Training'] })).toEqual({
        dueHours: { critical: 1, high: 2, medium: 72, low: 168 },
        rootCauses: ['Bug', 'Training'],
      });
      const high = await w.open(1);
      expect(Number(high!.due_at) - Number(high!.created_at)).toBe(2 * 3_600_000);
      const survey = await changeSurveyFollowUps(deps, w.id, w.survey.id, { priorities: { '1': 'critical', '2': 'low' }, defaultOwner: lead.email });
      expect(survey).toMatchObject({ followUpPriorities: { '1': 'critical', '2': 'low' }, defaultOwnerPersonId: lead.id });
      const critical = await w.open(1);
      expect(critical).toMatchObject({ priority: 'critical', owner_person_id: lead.id });
      expect(Number(critical!.due_at) - Number(critical!.created_at)).toBe(3_600_000);
      expect(await w.open(2)).toMatchObject({ priority: 'low' });
      expect(await changeAgentNames(deps, w.id, maria.id, ['maria', 'Maria Rossi', 'MARIA'])).toEqual(['maria', 'Maria Rossi']);
      expect(await w.open(1, { agent: 'maria rossi' })).toMatchObject({ owner_person_id: maria.id });
      const fuId = String(critical!.id);
      await expect(updateFollowUp(deps, w.id, fuId, { status: 'resolved', resolution: { rootCause: 'Training', solved: true } }, lead.id)).resolves.toMatchObject({ resolution: { rootCause: 'Training' } });
    });
  });

  describe('rejects', () => {
    it.each([
      ['a due time of 0 hours', { dueHours: { high: 0 } }, 'dueHours.high'],
      ['a fractional due time', { dueHours: { low: 1.5 } }, 'dueHours.low'],
      ['an unknown priority', { dueHours: { urgent: 3 } }, 'dueHours'],
      ['an empty root-cause list', { rootCauses: [] }, 'rootCauses'],
      ['a blank root cause', { rootCauses: ['ok', '  '] }, 'rootCauses'],
      ['a root cause on two lines', { rootCauses: ['a\nb'] }, 'rootCauses'],
    ])('workspace settings with %s', async (_name, input, field) => {
      const w = await workspace();
      expect(await rejection(changeFollowUpSettings(deps, w.id, input as never))).toEqual({ code: 'VALIDATION_FAILED', field });
    });

    it('agent names another member has, a non-member, and a bad survey rule', async () => {
      const w = await workspace();
      const maria = await w.member('Maria');
      const bob = await w.member('Bob');
      await changeAgentNames(deps, w.id, maria.id, ['Maria']);
      expect(await rejection(changeAgentNames(deps, w.id, bob.id, ['maria']))).toEqual({ code: 'CONFLICT', field: 'agentNames' });
      expect(await rejection(changeAgentNames(deps, w.id, bob.id, ['   ']))).toEqual({ code: 'VALIDATION_FAILED', field: 'agentNames' });
      const other = await workspace();
      expect((await rejection(changeAgentNames(deps, other.id, maria.id, ['x']))).code).toBe('NOT_FOUND');
      expect(await rejection(changeSurveyFollowUps(deps, w.id, w.survey.id, { defaultOwner: 'stranger@example.com' }))).toEqual({ code: 'OWNER_NOT_A_MEMBER', field: 'owner' });
      expect(await rejection(changeSurveyFollowUps(deps, w.id, w.survey.id, { priorities: { one: 'high' } as never }))).toEqual({ code: 'VALIDATION_FAILED', field: 'priorities' });
      expect((await rejection(reassignFollowUps(deps, other.id, [String((await w.open(1))!.id)], null, null))).code).toBe('NOT_FOUND');
    });
  });
});
