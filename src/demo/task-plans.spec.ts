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
  it('gives each special role to one problem, then every third problem is late, the rest on time', () => {
    const roles = mixedRoles(['P07', 'P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P08', 'P09', 'P10']);
    expect([...roles.entries()].sort()).toEqual([
      ['P01', 'extension-granted'],
      ['P02', 'extension-refused'],
      ['P03', 'signoff-rejected'],
      ['P04', 'rebound'],
      ['P05', 'commitment-missed'],
      ['P06', 'signoff-objected'],
      ['P07', 'late'],
      ['P08', 'on-time'],
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
