/** Strings of the scores import (issue 17.1): totals from a spreadsheet into the rankings. */
export default {
  zh: {
    scores: {
      title: '导入成绩',
      link: '导入成绩表',
      intro:
        '选择各市报送的成绩表：CSV（UTF-8 或 GBK 编码）或 XLSX，每行一个营业厅在一个考核期的一次评价得分，表头可用中文或英文。导入前会先显示预览和所有问题；有任何问题时不会写入任何数据。',
      marked:
        '导入的成绩是没有逐项答案的评价，标记为「导入成绩」：计入排名和认定，但没有分项得分和失分项。再次导入同一营业厅、考核期和评价方的成绩会替换上次导入的成绩。导入的成绩不上传同步服务器，但会随数据交换文件和备份带走，并保留「导入成绩」标记。',
      noScoresYet: '还没有评价数据。可以导入各市报送的成绩表，或录入评价。',
      headers: {
        title: '可用的表头',
        field: '列',
        required: '（必填）',
        optional: '（可选）',
        reviewerValue: '{label}：{words}',
        accepted: '可用的表头（不区分大小写和全角半角）',
        values: '可用的值',
        periodValues: '如 2026、2026-H1、2026-Q4、2026-03；没有这一列时在预览中选择考核期',
        scoreValues: '0 到 {max} 分，最多两位小数',
      },
      field: {
        code: '营业厅编码',
        period: '考核期',
        score: '得分',
        reviewer: '评价方',
      },
      rows: '{n} 条成绩',
      periodOfFile: '考核期：{period}',
      choosePeriod: '文件没有考核期列，这些成绩属于：',
      importButton: '导入 {n} 条成绩',
      replaced: '其中 {n} 条替换了上次导入的成绩。',
      success: '已导入 {n} 条成绩（{period}）。',
      viewRankings: '查看排名',
      failed: '导入失败，没有写入任何数据：{message}',
      previewMore: '仅显示前 {n} 条',
      col: {
        row: '行',
        code: '编码',
        name: '名称',
        city: '地市',
        reviewer: '评价方',
        score: '得分',
      },
      chartNoSections: '本范围的成绩都是导入的总分，没有逐项答案，因此没有分项得分可画。',
    },
  },
  en: {
    scores: {
      title: 'Import scores',
      link: 'Import a scores file',
      intro:
        'Choose a scores file sent by a city: CSV (UTF-8 or GBK) or XLSX, one row per evaluation of a store in a period, with Chinese or English headers. A preview with every problem comes first; a file with any problem writes nothing.',
      marked:
        'Imported scores are evaluations without item answers, marked "Imported score": they count in the rankings and certification, but have no section scores or lost items. Importing a score for the same store, period and reviewer again replaces the earlier imported one. Imported scores are not sent to the sync server; they travel in exchange files and backups, still marked as imported.',
      noScoresYet: 'No evaluations yet. Import a scores file sent by a city, or enter evaluations.',
      headers: {
        title: 'Accepted headers',
        field: 'Column',
        required: '(required)',
        optional: '(optional)',
        reviewerValue: '{label}: {words}',
        accepted: 'Accepted headers (case and full-width letters do not matter)',
        values: 'Accepted values',
        periodValues:
          'e.g. 2026, 2026-H1, 2026-Q4, 2026-03; without this column, choose the period in the preview',
        scoreValues: '0 to {max}, at most two decimals',
      },
      field: {
        code: 'Store code',
        period: 'Period',
        score: 'Score',
        reviewer: 'Reviewer',
      },
      rows: '{n} scores',
      periodOfFile: 'Period: {period}',
      choosePeriod: 'The file has no period column; these scores belong to:',
      importButton: 'Import {n} scores',
      replaced: '{n} of them replaced scores imported earlier.',
      success: 'Imported {n} scores ({period}).',
      viewRankings: 'View the rankings',
      failed: 'Import failed, nothing was written: {message}',
      previewMore: 'Only the first {n} are shown',
      col: {
        row: 'Row',
        code: 'Code',
        name: 'Name',
        city: 'City',
        reviewer: 'Reviewer',
        score: 'Score',
      },
      chartNoSections:
        'Every score in this scope is an imported total with no item answers, so there are no section scores to draw.',
    },
  },
}
