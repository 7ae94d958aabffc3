import { formData, mixedRoles, plannedAt, type OpenTask } from './task-plans.js';

const task = (over: Partial<OpenTask>): OpenTask => ({
  id: 't',
  definitionKey: 'rectification',
  activityId: 'rectify',
  formKey: null,
  businessKey: 'A',
  unit: 'HBJ',
  createdAt: Date.parse('2017-08-03T02:00:00Z'),
  dueAt: Date.parse('2017-12-31T16:00:00Z'),
  deadline: '2017-12-31',
  title: '问题',
  person: '张三',
  ...over,
});

describe('simulate --act mixed: roles', () => {
  it('gives each special role to one problem due soon after the first day, then every third problem is late', () => {
    const due = (code: string, deadline: string) => ({ code, deadline });
    const roles = mixedRoles(
      [
        due('P07', '2017-09-30'),
        due('P01', '2017-06-30'),
        due('P02', '2019-12-31'),
        due('P03', '2017-10-31'),
        due('P04', '2017-12-31'),
        due('P05', '2017-11-30'),
        due('P06', '2017-12-31'),
        due('P08', '2018-06-30'),
        due('P09', '2018-12-31'),
        due('P10', '2020-12-31'),
      ],
      '2017-08-03',
    );
    // The special roles to the soonest due from the first day (P01 is overdue already), then by code.
    expect([...roles.entries()].sort()).toEqual([
      ['P01', 'late'],
      ['P02', 'on-time'],
      ['P03', 'extension-refused'],
      ['P04', 'rebound'],
      ['P05', 'signoff-rejected'],
      ['P06', 'commitment-missed'],
      ['P07', 'extension-granted'],
      ['P08', 'signoff-objected'],
      ['P09', 'on-time'],
      ['P10', 'late'],
    ]);
  });

  it('a late unit never finishes the works; a rejected sign-off and a rebound happen once', () => {
    expect(plannedAt(task({}), 'late')).toBeNull();
    expect(plannedAt(task({}), 'on-time')).not.toBeNull();
    const now = Date.parse('2017-12-01T02:00:00Z');
    const signoff = (activityId: string) => task({ definitionKey: 'signoff', activityId });
    expect(formData(signoff('verify'), now, 'signoff-rejected', true)).toMatchObject({ verified: false });
    expect(formData(signoff('verify'), now, 'signoff-rejected', false)).toMatchObject({ verified: true });
    expect(formData(signoff('reviewObjection'), now, 'signoff-objected', true)).toMatchObject({
      objectionUpheld: true,
    });
    expect(formData(signoff('reviewObjection'), now, 'signoff-objected', false)).toMatchObject({
      objectionUpheld: false,
    });
    expect(formData(task({ activityId: 'recheck' }), now, 'rebound', true)).toMatchObject({ rebound: true });
    expect(
      formData(task({ definitionKey: 'interview', activityId: 'commit' }), now, 'commitment-missed'),
    ).toMatchObject({ commitmentDeadline: '2017-12-11' });
    expect(
      formData(task({ definitionKey: 'extension', activityId: 'review' }), now, 'extension-granted'),
    ).toMatchObject({ approved: true });
  });
});
