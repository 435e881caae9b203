/** Incremental bundles (domain/incremental.ts): the export's choices and the import's note. */
export default {
  zh: {
    incremental: {
      receiver: '接收方',
      receiverHint: '如：省公司',
      mode: '内容',
      full: '全部数据',
      sinceLast: '只含上次发给该接收方之后的变化',
      sinceDate: '只含某日之后的变化',
      since: '自',
      needReceiver: '请填写接收方，才能只导出上次之后的变化。',
      needDate: '请选择日期。',
      lastSent: '上次发给 {receiver}：{at}',
      neverSent: '尚未给 {receiver} 发过数据包：这次将导出全部数据。',
      exported: '增量数据包：自 {since} 以来的 {n} 项变化。',
      preview:
        '增量数据包：自 {since} 以来的 {n} 项变化{receiver}。只含变化的记录，未列出的记录保持不变。',
      previewReceiver: '（发给 {receiver}）',
    },
  },
  en: {
    incremental: {
      receiver: 'Receiver',
      receiverHint: 'e.g. Province office',
      mode: 'Content',
      full: 'Everything',
      sinceLast: 'Only changes since the last bundle to this receiver',
      sinceDate: 'Only changes since a date',
      since: 'Since',
      needReceiver: 'Name the receiver to export only the changes since the last bundle.',
      needDate: 'Choose a date.',
      lastSent: 'Last sent to {receiver}: {at}',
      neverSent: 'Nothing was sent to {receiver} yet: this bundle carries everything.',
      exported: 'Incremental bundle: {n} changes since {since}.',
      preview:
        'Incremental: {n} changes since {since}{receiver}. Only changed records are in it; records not listed stay as they are.',
      previewReceiver: ' (for {receiver})',
    },
  },
}
