/** The conflict screen (bundle import and sync), in the user's words (domain/conflict-view.ts). */
export default {
  zh: {
    conflicts: {
      title: '{kind}：{store}（{code}）',
      titleEvaluation: '{store}（{code}） · {period} · 第 {revision} 版',
      unknownStore: '未知营业厅',
      reason: {
        fork: '同一份评价在两台设备上各自重开并提交了修订（都是第 {revision} 版）。请选择保留哪一份；未保留的一份会被搁置：留在历史中，但不计入排名。',
        'other-device':
          '这份评价是另一台设备创建的，而文件中的修改并非来自该设备。是否采用，请你决定。',
      },
      field: {
        evaluatorName: '评价人',
        status: '状态',
        submittedAt: '提交时间',
        score: '得分',
        reviewer: '评价层级',
        signatures: '签名',
        crossBorderZone: '设有跨界合作区域',
        returnedReason: '退回原因',
        setAside: '已搁置',
        originDevice: '创建设备',
        revision: '版本',
        period: '期间',
      },
      part: { value: '{label}', note: '{label}（备注）', photos: '{label}（照片）' },
      value: {
        none: '—',
        yes: '是',
        no: '否',
        na: '不适用',
        points: '{value} / {max} 分',
        count: '{value} 次',
        photos: '{n} 张照片',
      },
      status: { draft: '草稿', submitted: '已提交', returned: '已退回' },
      keepLocalFork: '保留本机的修订（搁置文件中的）',
      takeIncomingFork: '采用文件中的修订（搁置本机的）',
      serverOnlyFork:
        '服务器已有另一份第 {revision} 版修订，只能采用服务器的；本设备的修订会被搁置（保留在历史中）。如需修改，请在服务器的修订上重新打开。',
    },
  },
  en: {
    conflicts: {
      title: '{kind}: {store} ({code})',
      titleEvaluation: '{store} ({code}) · {period} · revision {revision}',
      unknownStore: 'Unknown store',
      reason: {
        fork: 'The same evaluation was reopened and submitted again on two devices (both are revision {revision}). Choose which one to keep; the other is set aside: it stays in the history but is not counted in the rankings.',
        'other-device':
          'This evaluation was created on another device, and the change in the file does not come from that device. You decide whether to take it.',
      },
      field: {
        evaluatorName: 'Evaluator',
        status: 'Status',
        submittedAt: 'Submitted',
        score: 'Score',
        reviewer: 'Level',
        signatures: 'Signatures',
        crossBorderZone: 'Has a cross-border zone',
        returnedReason: 'Reason sent back',
        setAside: 'Set aside',
        originDevice: 'Created on device',
        revision: 'Revision',
        period: 'Period',
      },
      part: { value: '{label}', note: '{label} (note)', photos: '{label} (photos)' },
      value: {
        none: '—',
        yes: 'Yes',
        no: 'No',
        na: 'Not applicable',
        points: '{value} / {max} points',
        count: '{value} times',
        photos: '{n} photos',
      },
      status: { draft: 'Draft', submitted: 'Submitted', returned: 'Sent back' },
      keepLocalFork: 'Keep this device’s revision (set the file’s aside)',
      takeIncomingFork: 'Take the file’s revision (set this device’s aside)',
      serverOnlyFork:
        'The server already has another revision {revision}; only the server’s can be taken. This device’s revision is set aside (kept in the history). To change it, reopen the server’s revision.',
    },
  },
}
