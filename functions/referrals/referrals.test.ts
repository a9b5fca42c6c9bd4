// Referral rules a coordinator and a specialist would notice: the loop's steps, due dates and overdue order,
// what the packet holds by default and refuses to send, and the loop-closure numbers.
import { describe, expect, it } from 'vitest';
import {
  allowedReferralEvents,
  eventFromTask,
  isOpenReferral,
  nextReferralStatus,
  type ReferralStatus,
  TASK_STATUS,
} from './lifecycle.ts';
import { referralMetrics } from './metrics.ts';
import { defaultPacket, unsendable } from './packet.ts';
import { addBusinessDays, defaultDueDate, isOverdue, worklistOrder } from './schedule.ts';
import { eventsFromTask } from './transitions.ts';

describe('referral lifecycle', () => {
  it('closes the loop: sent, accepted, scheduled, consult note back, closed', () => {
    let status = nextReferralStatus('draft', 'send');
    for (const event of ['accept', 'schedule', 'return-consult-note', 'close'] as const) {
      status = status && nextReferralStatus(status, event);
    }
    expect(status).toBe('closed');
  });

  it('can be cancelled before it closes, never after; a closed loop takes no more events', () => {
    for (const open of ['draft', 'sent', 'received', 'accepted', 'scheduled'] as const) {
      expect(nextReferralStatus(open, 'cancel')).toBe('cancelled');
    }
    expect(allowedReferralEvents('closed')).toEqual([]);
    expect(allowedReferralEvents('cancelled')).toEqual([]);
    expect(nextReferralStatus('consult-note-received', 'cancel')).toBeUndefined();
    expect(nextReferralStatus('draft', 'accept')).toBeUndefined();
  });

  it('keeps a grant only while the referral is open', () => {
    expect(isOpenReferral('scheduled')).toBe(true);
    expect(isOpenReferral('consult-note-received')).toBe(true);
    expect(isOpenReferral('declined')).toBe(false);
    expect(isOpenReferral('closed')).toBe(false);
  });

  it('reads what the specialist did from the Task they updated', () => {
    expect(eventFromTask('sent', { status: 'accepted', hasOutput: false })).toBe('accept');
    expect(
      eventFromTask('accepted', { status: 'in-progress', hasOutput: false, scheduledFor: '2026-12-10' }),
    ).toBe('schedule');
    expect(eventFromTask('scheduled', { status: 'completed', hasOutput: true })).toBe('return-consult-note');
    expect(eventFromTask('sent', { status: 'rejected', hasOutput: false })).toBe('decline');
    // Nothing new, or a step the referral cannot take from where it is.
    expect(eventFromTask('accepted', { status: 'accepted', hasOutput: false })).toBeUndefined();
    expect(eventFromTask('scheduled', { status: 'completed', hasOutput: false })).toBeUndefined();
    expect(eventFromTask('closed', { status: 'completed', hasOutput: true })).toBeUndefined();
    expect(TASK_STATUS.sent).toBe('requested');
  });
});

describe('due dates and the worklist', () => {
  it('defaults the due date by urgency', () => {
    expect(defaultDueDate('2026-11-27', 'routine')).toBe('2026-12-27');
    expect(defaultDueDate('2026-11-27', 'urgent')).toBe('2026-12-04');
    expect(defaultDueDate('2026-11-27', 'stat')).toBe('2026-11-28');
  });

  it('counts business days over a weekend', () => {
    expect(addBusinessDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(addBusinessDays('2026-11-23', 5)).toBe('2026-11-30');
  });

  it('is overdue past its due date, or unanswered past 5 business days (routine) or 1 (urgent)', () => {
    const routine = {
      id: 'r',
      urgency: 'routine' as const,
      sentOn: '2026-11-20',
      dueDate: '2026-12-20',
      answered: false,
    };
    expect(isOverdue(routine, '2026-11-27')).toBe(false); // 5 business days end on the 27th
    expect(isOverdue(routine, '2026-11-28')).toBe(true);
    expect(isOverdue({ ...routine, answered: true }, '2026-11-28')).toBe(false);
    expect(isOverdue({ ...routine, answered: true }, '2026-12-21')).toBe(true);
    const urgent = { ...routine, urgency: 'urgent' as const };
    expect(isOverdue(urgent, '2026-11-23')).toBe(false); // Friday's urgent referral has until Monday
    expect(isOverdue(urgent, '2026-11-24')).toBe(true);
  });

  it('lists overdue first, then by urgency and due date', () => {
    const today = '2026-11-29';
    const entries = [
      { id: 'a', urgency: 'routine' as const, sentOn: '2026-11-27', dueDate: '2026-12-27', answered: false },
      { id: 'b', urgency: 'urgent' as const, sentOn: '2026-11-27', dueDate: '2026-12-04', answered: true },
      { id: 'c', urgency: 'routine' as const, sentOn: '2026-10-01', dueDate: '2026-10-31', answered: true },
      { id: 'd', urgency: 'stat' as const, sentOn: '2026-11-29', dueDate: '2026-11-30', answered: false },
    ];
    expect(worklistOrder(entries, today).map((e) => e.id)).toEqual(['c', 'd', 'b', 'a']);
  });
});

describe('the clinical packet', () => {
  const chart = {
    problems: [
      { id: 'p1', status: 'active' },
      { id: 'p2', status: 'resolved' },
    ],
    medications: [
      { id: 'm1', status: 'active' },
      { id: 'm2', status: 'stopped' },
    ],
    allergies: [
      { id: 'a1', verificationStatus: 'confirmed' },
      { id: 'a2', verificationStatus: 'refuted' },
      { id: 'a3' },
    ],
    vitals: [
      { id: 'v1', effective: '2026-10-01T10:00:00Z' },
      { id: 'v2', effective: '2026-11-20T10:00:00Z' },
    ],
    labs: [
      { id: 'l1', status: 'final', effective: '2026-11-20T10:00:00Z' },
      { id: 'l2', status: 'final', effective: '2026-08-20T10:00:00Z' },
      { id: 'l3', status: 'preliminary', effective: '2026-11-21T10:00:00Z' },
      { id: 'l4', status: 'corrected', effective: '2026-09-01T10:00:00Z' },
    ],
    notes: [
      { id: 'n1', status: 'signed', encounterId: 'e1' },
      { id: 'n2', status: 'draft', encounterId: 'e1' },
      { id: 'n3', status: 'signed', encounterId: 'e0' },
    ],
  };

  it('holds by default what a specialist needs and nothing unfinished', () => {
    expect(defaultPacket(chart, 'e1', '2026-11-29')).toEqual({
      problems: ['p1'],
      medications: ['m1'],
      allergies: ['a1', 'a3'],
      vitals: ['v2'],
      labs: ['l1', 'l4'],
      notes: ['n1'],
    });
  });

  it('refuses drafts, preliminary results and ids that are not in the chart', () => {
    expect(
      unsendable(chart, {
        problems: ['p2'],
        medications: [],
        allergies: [],
        vitals: [],
        labs: ['l3'],
        notes: ['n2', 'zz'],
      }),
    ).toEqual([
      { field: 'packet.labs', id: 'l3' },
      { field: 'packet.notes', id: 'n2' },
      { field: 'packet.notes', id: 'zz' },
    ]);
  });
});

describe('referral metrics', () => {
  it('measures turnaround and loop closure among referrals whose 90 days have passed', () => {
    const rows = referralMetrics(
      [
        {
          recipient: 'cardio',
          specialty: '207RC0000X',
          sentAt: '2026-06-01T00:00:00Z',
          acceptedAt: '2026-06-03T00:00:00Z',
          consultNoteAt: '2026-07-01T00:00:00Z',
        },
        {
          recipient: 'cardio',
          specialty: '207RC0000X',
          sentAt: '2026-06-10T00:00:00Z',
          acceptedAt: '2026-06-11T00:00:00Z',
        },
        {
          recipient: 'cardio',
          specialty: '207RC0000X',
          sentAt: '2026-11-20T00:00:00Z',
          declinedReason: 'not accepting new patients',
        },
        {
          recipient: 'derm',
          specialty: '207N00000X',
          sentAt: '2026-05-01T00:00:00Z',
          consultNoteAt: '2026-09-01T00:00:00Z',
        },
      ],
      'recipient',
      '2026-11-29T00:00:00Z',
    );
    expect(rows).toEqual([
      {
        key: 'cardio',
        sent: 3,
        medianDaysToAccepted: 1.5,
        medianDaysToConsultNote: 30,
        loopClosureRate: 0.5,
        declinedReasons: { 'not accepting new patients': 1 },
      },
      { key: 'derm', sent: 1, medianDaysToConsultNote: 123, loopClosureRate: 0, declinedReasons: {} },
    ]);
  });
});

describe('reading a recipient’s Task', () => {
  const read = (
    status: ReferralStatus,
    task: { status: string; hasOutput: boolean; scheduledFor?: string },
  ) => eventsFromTask(status, task, eventFromTask);

  it('takes each step once, filling in the acceptance a skipped step implies', () => {
    expect(read('accepted', { status: 'in-progress', hasOutput: false, scheduledFor: '2026-12-15' })).toEqual(
      ['schedule'],
    );
    expect(read('sent', { status: 'in-progress', hasOutput: false, scheduledFor: '2026-12-15' })).toEqual([
      'accept',
      'schedule',
    ]);
    expect(read('sent', { status: 'completed', hasOutput: true })).toEqual(['accept', 'return-consult-note']);
    expect(
      read('scheduled', { status: 'in-progress', hasOutput: false, scheduledFor: '2026-12-16' }),
    ).toEqual(['schedule']);
    expect(read('sent', { status: 'rejected', hasOutput: false })).toEqual(['decline']);
    expect(read('sent', { status: 'requested', hasOutput: false })).toEqual([]);
    expect(read('closed', { status: 'completed', hasOutput: true })).toEqual([]);
  });
});
