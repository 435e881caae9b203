/** The submission status screen (loaded with the screen: its route names it in meta.messages). */
export default {
  zh: {
    status: {
      title: '评价上报进度',
      intro: '本期各市营业厅的检查与自评上报情况；点击城市查看营业厅明细。',
      period: '期间',
      source: {
        server: '服务器数据（{at}）',
        device: '本设备上的数据',
        offline: '连不上服务器，显示本设备上的数据。',
      },
      province: '省份',
      city: '城市',
      total: '营业厅',
      state: {
        inspected: '已检查',
        'self-assessed': '仅自评',
        'not-yet': '未评价',
        overdue: '已逾期',
      },
      store: '营业厅',
      code: '编码',
      inspectedAt: '检查上报',
      selfAssessedAt: '自评上报',
      back: '返回各市',
      export: '导出 CSV',
      none: '没有营业厅。',
    },
  },
  en: {
    status: {
      title: 'Submission status',
      intro:
        "This period's inspections and self-assessments per city; choose a city for its stores.",
      period: 'Period',
      source: {
        server: 'Server data ({at})',
        device: 'Data on this device',
        offline: 'Cannot reach the server; showing the data on this device.',
      },
      province: 'Province',
      city: 'City',
      total: 'Stores',
      state: {
        inspected: 'Inspected',
        'self-assessed': 'Self-assessed only',
        'not-yet': 'Not yet',
        overdue: 'Overdue',
      },
      store: 'Store',
      code: 'Code',
      inspectedAt: 'Inspection submitted',
      selfAssessedAt: 'Self-assessment submitted',
      back: 'All cities',
      export: 'Export CSV',
      none: 'No stores.',
    },
  },
}
