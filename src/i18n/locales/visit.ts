/** The inspector's visit: moving fast through the form, the visit record, signatures, comparisons. */
export default {
  zh: {
    visit: {
      autoAdvance: '答完自动跳到下一未评项',
      autoAdvanceHelp:
        '选择答案后，表单自动跳到下一个未评的项目；不符合的项目会先停下等待备注或照片。',
      nextUnanswered: '下一未评',
      allAnswered: '全部已评',
      evidence: '备注 / 照片',
      hideEvidence: '收起',
      lastLost: '上次检查失分',
      undoNa: '取消不适用',
      photoRemoved: '已删除照片。',
      undo: '撤销',
      barProgress: '{n}/{total} 项',
      barScore: '{score} 分',
      version: '第 {v} 版',
      formTitle: '评价表',
      demoTitle: '示范数据',
      demoHave: '本机载入了示范省份（江苏）的营业厅和评价。',
      demoNone: '本机没有示范数据。',
      demoClear: '清除示范数据',
      demoConfirm:
        '将删除示范省份的全部营业厅，以及本机记录的这些营业厅的评价、照片、整改事项和认定记录（包括你在示范营业厅上新做的评价）。自己导入的营业厅不受影响。此操作不能撤销。',
      demoConfirmButton: '确认清除',
      demoCleared: '已清除示范数据：{stores} 个营业厅、{evaluations} 次评价。',
      needName: '请填写评价人姓名后再开始。',
    },
  },
  en: {
    visit: {
      autoAdvance: 'Move on to the next unanswered item after each answer',
      autoAdvanceHelp:
        'After an answer the form moves to the next unanswered item; an item that fails waits for its note or photo first.',
      nextUnanswered: 'Next unanswered',
      allAnswered: 'All answered',
      evidence: 'Note / photo',
      hideEvidence: 'Hide',
      lastLost: 'Lost points last visit',
      undoNa: 'Undo not applicable',
      photoRemoved: 'Photo removed.',
      undo: 'Undo',
      barProgress: '{n}/{total}',
      barScore: '{score} pts',
      version: 'version {v}',
      formTitle: 'Evaluation form',
      demoTitle: 'Demo data',
      demoHave: 'This device holds the demo province (Jiangsu): its stores and evaluations.',
      demoNone: 'There is no demo data on this device.',
      demoClear: 'Clear the demo data',
      demoConfirm:
        'This deletes every store of the demo province and everything recorded about them on this device: evaluations, photos, corrective actions and certification steps (including evaluations you made of demo stores). Stores you imported yourself stay. This cannot be undone.',
      demoConfirmButton: 'Clear it',
      demoCleared: 'Demo data cleared: {stores} stores, {evaluations} evaluations.',
      needName: 'Enter the evaluator’s name to start.',
    },
  },
}
