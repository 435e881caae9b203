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
      needName: 'Enter the evaluator’s name to start.',
    },
  },
}
