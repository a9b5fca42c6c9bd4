// Every key and index value of the scheduling entities, in one place. Access patterns: docs/data-model.md.
import { patientKeys } from '#functions/patients/index.ts';
import type { CalendarHour } from './calendar.ts';

export const locationKeys = {
  item: (id: string) => ({ pk: `LOCATION#${id}`, sk: 'LOCATION' }),
  /** Pattern "list locations by name" (gsi1). */
  byName: {
    index: 'gsi1' as const,
    pk: 'LOCATIONS',
    sk: (name: string, id: string) => `${name.toLowerCase()}#${id}`,
  },
};

export const providerKeys = {
  partition: (id: string) => `PROVIDER#${id}`,
  profile: (id: string) => ({ pk: `PROVIDER#${id}`, sk: 'PROVIDER' }),
  /** Weekly templates and date exceptions: one item, read with the day items. */
  schedule: (id: string) => ({ pk: `PROVIDER#${id}`, sk: 'SCHEDULE' }),
  /**
   * The provider's booked and held time in one UTC hour (bucket `YYYY-MM-DDTHH`): the double-booking guard.
   * Every booking, hold, reschedule and cancellation rewrites the buckets it touches conditionally on their
   * versions, so two writers can never both win; an interval is stored in every bucket it overlaps.
   */
  calendar: (id: string, utcHour: string) => ({ pk: `PROVIDER#${id}`, sk: `DAY#${utcHour}` }),
  /** Sort-key bounds of every bucket from one UTC date to another, inclusive (one Query). */
  calendarRange: (fromDate: string, toDate: string) => ({ from: `DAY#${fromDate}`, to: `DAY#${toDate}~` }),
  npiGuard: (npi: string) => ({ pk: `NPI#${npi}`, sk: 'NPI' }),
  /** Pattern "list providers by name" (gsi1). */
  byName: {
    index: 'gsi1' as const,
    pk: 'PROVIDERS',
    sk: (family: string, id: string) => `${family.toLowerCase()}#${id}`,
  },
};

export const appointmentTypeKeys = {
  item: (id: string) => ({ pk: `APPOINTMENT_TYPE#${id}`, sk: 'APPOINTMENT_TYPE' }),
  byName: {
    index: 'gsi1' as const,
    pk: 'APPOINTMENT_TYPES',
    sk: (name: string, id: string) => `${name.toLowerCase()}#${id}`,
  },
};

export const appointmentKeys = {
  item: (id: string) => ({ pk: `APPOINTMENT#${id}`, sk: 'APPOINTMENT' }),
  /** The patient's appointment time in one UTC hour: guards "the patient is already booked then". */
  patientCalendar: (patientId: string, utcHour: string) => ({
    pk: `APPOINTMENTS#PATIENT#${patientId}`,
    sk: `DAY#${utcHour}`,
  }),
  /** Pattern "the front desk's day at a location" (gsi1), by local date. */
  byLocationDay: {
    index: 'gsi1' as const,
    pk: (locationId: string, localDate: string) => `LOCATION#${locationId}#DAY#${localDate}`,
    sk: (start: string, id: string) => `${start}#${id}`,
    /** The local date an appointment is filed under, read back from its `pk` (a status change keeps it). */
    localDateOf: (pk: string) => pk.slice(pk.lastIndexOf('#DAY#') + '#DAY#'.length),
  },
  /** Pattern "a patient's appointments, by start" (gsi2). */
  byPatient: {
    index: 'gsi2' as const,
    pk: (patientId: string) => `APPOINTMENTS#PATIENT#${patientId}`,
    sk: (start: string, id: string) => `${start}#${id}`,
  },
};

/** The item of one hour of a provider's or a patient's calendar. */
export function calendarHourKey(h: CalendarHour) {
  return h.calendar === 'provider'
    ? providerKeys.calendar(h.ownerId, h.hour)
    : appointmentKeys.patientCalendar(h.ownerId, h.hour);
}

/** The patient's profile item (patients context), read to check that a booking's patient exists. */
export const patientProfileKey = (patientId: string) => ({
  pk: patientKeys.partition(patientId),
  sk: patientKeys.profile,
});
