import { afterEach, describe, expect, it } from 'vitest';
import { startTimetableDeployment, type TimetableDeployment } from './timetable-deployment.js';

/** Each defect is really there, and the conformant build answers the same request with success. */
let running: TimetableDeployment[] = [];
afterEach(async () => {
  await Promise.all(running.map((d) => d.close()));
  running = [];
});

const trips = (date: string) =>
  `/trips?origin=efdbb9d1-02c2-4bc3-afb7-6788d8782b1e&destination=B2E783E1-C824-4D63-B37A-D8D698862F1D&date=${encodeURIComponent(date)}`;
const bearer = { authorization: 'Bearer demo-token' };

describe('the timetable deployment', () => {
  it('rejects-offset-date-time: an offset or a fraction is refused, Z is not', async () => {
    const ok = await startTimetableDeployment();
    const broken = await startTimetableDeployment({ defects: ['rejects-offset-date-time'] });
    running.push(ok, broken);
    for (const date of ['2024-02-01T10:00:00+02:00', '2024-02-01T10:00:00.250Z']) {
      expect((await fetch(`${ok.url}${trips(date)}`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${broken.url}${trips(date)}`, { headers: bearer })).status).toBe(400);
    }
    expect((await fetch(`${broken.url}${trips('2024-02-01T10:00:00Z')}`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${ok.url}${trips('tomorrow')}`, { headers: bearer })).status).toBe(400);
    expect((await fetch(`${ok.url}${trips('2024-02-01T10:00:00Z')}`)).status).toBe(401);
  });

  it('rejects-boundary-value: the documented maximum orderId=10 is refused, 9 is not', async () => {
    const ok = await startTimetableDeployment();
    const broken = await startTimetableDeployment({ defects: ['rejects-boundary-value'] });
    running.push(ok, broken);
    expect((await fetch(`${ok.url}/v2/store/order/10`)).status).toBe(200);
    expect((await fetch(`${broken.url}/v2/store/order/10`)).status).toBe(400);
    expect((await fetch(`${broken.url}/v2/store/order/9`)).status).toBe(200);
    expect((await fetch(`${ok.url}/v2/store/order/11`)).status).toBe(400);
  });
});
