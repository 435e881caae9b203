/** The store manager's daily self-check. */
export default {
  zh: {
    daily: {
      title: '每日自查',
      intro: '店长每天开门前后完成的简短自查，不计分；不符合的项目可以安排整改。',
      homeIntro: '店长每天开门前后的简短自查，一屏完成。',
      start: '每日自查',
      pickStore: '选择营业厅（输入编码或名称）',
      noStore: '没有找到营业厅。',
      noRubric: '没有适用于该营业厅的每日自查表。',
      who: '自查人',
      submit: '提交自查',
      reason: {
        unanswered: '还有 {n} 项未选择',
        evidence: '{n} 项不符合，还需要照片或备注',
        name: '请填写自查人',
      },
      recorded: '今日自查已记录：{outcome}。',
      failedCount: '{n} 项不符合',
      allMet: '全部符合',
      actOn: '安排整改',
      view: '查看',
      history: '自查记录',
      noHistory: '还没有自查记录。',
    },
  },
  en: {
    daily: {
      title: 'Daily self-check',
      intro:
        'A short check the store manager does around opening time. Not scored; anything not met can get a corrective action.',
      homeIntro: 'The store manager’s short check around opening time, on one screen.',
      start: 'Daily self-check',
      pickStore: 'Choose the store (type a code or a name)',
      noStore: 'No store found.',
      noRubric: 'No daily self-check applies to this store.',
      who: 'Checked by',
      submit: 'Record the check',
      reason: {
        unanswered: '{n} items not answered yet',
        evidence: '{n} items not met still need a photo or a note',
        name: 'Enter who did the check',
      },
      recorded: 'Today’s check is recorded: {outcome}.',
      failedCount: '{n} not met',
      allMet: 'all met',
      actOn: 'Plan corrective actions',
      view: 'View',
      history: 'Earlier checks',
      noHistory: 'No checks recorded yet.',
    },
  },
}
