/** Strings of the rankings charts (issue 5). */
export default {
  zh: {
    charts: {
      title: '图表',
      tableView: '表格',
      chartView: '图表',
      savePng: '保存为 PNG',
      loading: '正在加载图表…',
      noData: '暂无数据',
      distribution: { title: '各地市认定等级分布', count: '营业厅数' },
      histogram: { title: '得分分布', bin: '分数段', count: '营业厅数', line: '{n} 分线' },
      radar: {
        title: '分项得分率：营业厅与所在地市、省',
        store: '营业厅',
        share: '得分率',
        pick: '选择营业厅',
      },
      trend: {
        title: '各周期平均分走势',
        mean: '平均分',
        count: '营业厅数',
        subject: '对象',
        unitOption: '{unit}（全部）',
      },
      gap: {
        title: '自评与检查得分差（各地市）',
        mean: '平均差值',
        max: '最大差值',
        stores: '可比营业厅',
        inflated: '自评偏高',
        hint: '差值 = 自评得分 − 检查得分；平均差值超过 {n} 分标红。',
      },
    },
  },
  en: {
    charts: {
      title: 'Charts',
      tableView: 'Table',
      chartView: 'Chart',
      savePng: 'Save as PNG',
      loading: 'Loading chart…',
      noData: 'No data',
      distribution: { title: 'Certified grades per city', count: 'Stores' },
      histogram: {
        title: 'Score distribution',
        bin: 'Score band',
        count: 'Stores',
        line: '{n} line',
      },
      radar: {
        title: 'Section scores: store vs its city and province',
        store: 'Store',
        share: 'Share earned',
        pick: 'Choose a store',
      },
      trend: {
        title: 'Mean score by period',
        mean: 'Mean score',
        count: 'Stores',
        subject: 'Subject',
        unitOption: '{unit} (all)',
      },
      gap: {
        title: 'Self-assessment vs inspection gap per city',
        mean: 'Mean gap',
        max: 'Largest gap',
        stores: 'Comparable stores',
        inflated: 'Inflated',
        hint: 'Gap = self-assessment − inspection; a mean gap above {n} points is red.',
      },
    },
  },
}
