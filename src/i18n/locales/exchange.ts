export default {
  zh: {
    exchange: {
      title: '数据交换与备份',
      intro:
        '平板离线工作：检查数据以文件形式逐级上报（市→省→集团），可通过邮件或U盘传递。文件带校验，被改动或不完整的文件会被拒绝。',
      export: {
        title: '导出数据包',
        province: '省',
        city: '市',
        allCities: '全省',
        period: '周期',
        allPeriods: '全部周期',
        run: '导出',
        running: '正在导出…',
        done: '已导出 {evaluations} 条评价、{photos} 张照片。',
        download: '下载 {name}',
        noStores: '尚无营业厅数据，无可导出内容。',
      },
      import: {
        title: '导入数据包',
        choose: '选择数据包文件',
        checking: '正在校验文件…（{done}/{total} 张照片）',
        refused: '文件被拒绝，数据库未做任何改动。',
        from: '来自设备 {device}{evaluator}，导出于 {at}',
        scope: '范围：{scope}',
        signed: {
          'first-seen':
            '由设备密钥 {key} 签名。首次见到此设备：将记住此密钥，此后来自该设备编号的文件必须用同一密钥签名，否则会被拒绝。请确认这份文件确实来自该设备——冒充者的第一份文件同样会被记住。',
          known: '由设备密钥 {key} 签名（与此前该设备的密钥一致）。',
          changed:
            '注意：由密钥 {key} 签名，与此前记录的该设备密钥不同（设备重置或文件被伪造）。请向发送方核实。',
        },
        unsigned: '文件未签名。',
        trust: {
          unsigned:
            '设备 {device} 以前发来的文件都用密钥 {pinned} 签名，这份文件却没有签名。签名可能被去掉了，文件也可能是伪造的。',
          'key-changed':
            '设备 {device} 以前用密钥 {pinned} 签名，这份文件却用另一个密钥 {key} 签名。可能是该设备重置过，也可能是有人冒充它。',
          refused:
            '因此默认不导入。请先通过电话或当面向发送方核实；确认无误后，勾选下面一项再导入。记住的密钥不会改变。',
          accept: '我已向发送方核实，这份文件确实来自该设备，仍然导入',
        },
        recomputed:
          '有 {n} 份评价所附的得分与其答案算出的得分不符。导入时将保存按答案重新计算的得分：',
        recomputedLine: '{store}：文件中为 {stored}，按答案为 {recomputed}',
        kind: {
          store: '营业厅',
          evaluation: '评价',
          certification: '认定记录',
          action: '整改事项',
          photo: '照片',
        },
        verdict: {
          add: '新增',
          update: '更新',
          same: '相同（不变）',
          older: '本机较新（保留本机）',
          conflict: '冲突',
        },
        conflictsTitle: '冲突：同一记录在两台设备上被修改，请逐条选择',
        olderTitle: '以下记录本机版本较新，将保留本机版本',
        field: '字段',
        local: '本机',
        incoming: '文件中',
        keepLocal: '保留本机',
        takeIncoming: '采用文件',
        allLocal: '全部保留本机',
        allIncoming: '全部采用文件',
        apply: '导入',
        applying: '正在导入…',
        cancel: '取消',
        nothing: '文件内容与本机完全相同，无需导入。',
        done: '导入完成：写入 {written} 条记录，保留本机 {kept} 条。',
        failed: '导入失败，数据库已恢复原状：{message}',
      },
      backup: {
        title: '整机备份',
        intro: '把本机全部数据（含照片）保存为一个文件。恢复只能在空设备上进行。',
        last: '上次备份：{at}',
        never: '从未备份',
        run: '立即备份',
        running: '正在备份…',
        done: '备份已生成。',
        restore: '从备份文件恢复',
        restoring: '正在恢复…',
        restored: '已恢复 {evaluations} 条评价、{photos} 张照片。',
        notEmpty:
          '本机已有数据（营业厅 {stores}、评价 {evaluations}），恢复只能在空设备上进行。如需合并，请使用“导入数据包”。',
      },
      error: {
        'not-zip': '这不是数据包文件（不是 zip 格式）。',
        truncated: '文件不完整（在 {at} 处被截断），可能复制或下载中断。请重新获取文件。',
        'unsupported-zip': '文件使用了不支持的 zip 特性（{what}）。',
        'too-large':
          '文件声明的大小超出限制（{what}：{declared}，上限 {limit}），为安全起见未解压。',
        'bad-manifest': '清单 manifest.json 无法读取（{path} {message}）。',
        'wrong-format': '这不是本应用的数据包（格式 {found}）。',
        'newer-version': '数据包格式版本 {found} 比本应用支持的 {supported} 新，请先更新应用。',
        'unknown-version': '未知的数据包格式版本 {found}。',
        'wrong-kind': '文件类型不符：这是 {found}，此处需要 {expected}。',
        'missing-part': '文件缺少部分内容：{part}（例如照片被删除）。',
        'unexpected-part': '文件中有清单未列出的内容：{part}。',
        tampered: '文件内容已被改动：{part} 的校验值不符。',
        'bad-record': '记录格式错误：{part} 中 {path}（{message}）。',
        'unknown-rubric': '评价 {evaluation} 使用的细则 {rubric} 本机没有，文件中也未附带。',
        'rubric-mismatch': '细则 {rubric} 与本机同版本的内容不同，已拒绝（已发布的版本不可更改）。',
        'bad-signature': '签名无效：{message}',
        'not-image': '文件中的照片 {part} 不是 JPEG、PNG 或 WebP 图片（声明为 {mime}），已拒绝。',
        unknown: '无法读取文件：{message}',
      },
    },
  },
  en: {
    exchange: {
      title: 'Exchange & backup',
      intro:
        'Tablets work offline: inspection data travels up level by level (city → province → group) as files you can e-mail or copy to a USB stick. Files carry checksums; a changed or incomplete file is refused.',
      export: {
        title: 'Export a bundle',
        province: 'Province',
        city: 'City',
        allCities: 'Whole province',
        period: 'Period',
        allPeriods: 'All periods',
        run: 'Export',
        running: 'Exporting…',
        done: 'Exported {evaluations} evaluations and {photos} photos.',
        download: 'Download {name}',
        noStores: 'There are no stores yet, so nothing to export.',
      },
      import: {
        title: 'Import a bundle',
        choose: 'Choose a bundle file',
        checking: 'Checking the file… ({done}/{total} photos)',
        refused: 'The file was refused; the database was not changed.',
        from: 'From device {device}{evaluator}, exported {at}',
        scope: 'Scope: {scope}',
        signed: {
          'first-seen':
            'Signed with device key {key}. This device is seen for the first time: its key will be remembered, and later files under this device id must be signed with the same key or they are refused. Make sure this file really comes from that device: an impostor’s first file would be remembered the same way.',
          known: 'Signed with device key {key} (the same key as before for this device).',
          changed:
            'Warning: signed with key {key}, which differs from the key recorded for this device (device reset, or a forged file). Check with the sender.',
        },
        unsigned: 'The file is not signed.',
        trust: {
          unsigned:
            'Files from device {device} have always been signed with key {pinned}, but this one is not signed. The signature may have been stripped, or the file forged.',
          'key-changed':
            'Device {device} signed with key {pinned} before, but this file is signed with another key, {key}. The device may have been reset, or someone is posing as it.',
          refused:
            'So it is not imported by default. Check with the sender first (by phone or in person); if it is theirs, tick the box below, then import. The remembered key does not change.',
          accept: 'I checked with the sender: this file comes from that device. Import it anyway',
        },
        recomputed:
          '{n} evaluations carry a score that is not what their answers give. The import keeps the score recomputed from the answers:',
        recomputedLine: '{store}: {stored} in the file, {recomputed} from the answers',
        kind: {
          store: 'Stores',
          evaluation: 'Evaluations',
          certification: 'Certification records',
          action: 'Corrective actions',
          photo: 'Photos',
        },
        verdict: {
          add: 'New',
          update: 'Updated',
          same: 'Same (no change)',
          older: 'Newer here (kept)',
          conflict: 'Conflicts',
        },
        conflictsTitle: 'Conflicts: the same record was changed on two devices — choose for each',
        olderTitle: 'These records are newer on this device; the local version is kept',
        field: 'Field',
        local: 'This device',
        incoming: 'In the file',
        keepLocal: 'Keep this device’s',
        takeIncoming: 'Take the file’s',
        allLocal: 'Keep all local',
        allIncoming: 'Take all from file',
        apply: 'Import',
        applying: 'Importing…',
        cancel: 'Cancel',
        nothing: 'The file holds nothing new for this device.',
        done: 'Imported: {written} records written, {kept} kept as they were here.',
        failed: 'The import failed and the database was left as it was: {message}',
      },
      backup: {
        title: 'Device backup',
        intro:
          'Saves everything on this device (photos included) to one file. A backup can only be restored onto an empty device.',
        last: 'Last backup: {at}',
        never: 'Never backed up',
        run: 'Back up now',
        running: 'Backing up…',
        done: 'Backup file ready.',
        restore: 'Restore from a backup file',
        restoring: 'Restoring…',
        restored: 'Restored {evaluations} evaluations and {photos} photos.',
        notEmpty:
          'This device already holds data ({stores} stores, {evaluations} evaluations); a backup can only be restored onto an empty device. To combine data, import a bundle instead.',
      },
      error: {
        'not-zip': 'This is not a bundle file (not a zip).',
        truncated:
          'The file is incomplete (cut off at {at}); the copy or download was probably interrupted. Get the file again.',
        'unsupported-zip': 'The file uses a zip feature that is not supported ({what}).',
        'too-large':
          'The file declares sizes over the limit ({what}: {declared}, limit {limit}); it was not unpacked, for safety.',
        'bad-manifest': 'The manifest (manifest.json) cannot be read ({path} {message}).',
        'wrong-format': 'This is not a bundle of this app (format {found}).',
        'newer-version':
          'The bundle format version {found} is newer than this app supports ({supported}). Update the app first.',
        'unknown-version': 'Unknown bundle format version {found}.',
        'wrong-kind': 'Wrong kind of file: this is a {found}, a {expected} is needed here.',
        'missing-part': 'Part of the file is missing: {part} (for example a removed photo).',
        'unexpected-part': 'The file contains something its manifest does not list: {part}.',
        tampered: 'The file was changed: the checksum of {part} does not match.',
        'bad-record': 'A record is malformed: {part}, at {path} ({message}).',
        'unknown-rubric':
          'Evaluation {evaluation} was scored with rubric {rubric}, which this device does not have and the file does not carry.',
        'rubric-mismatch':
          'Rubric {rubric} differs from this device’s copy of the same version; refused (a published version never changes).',
        'bad-signature': 'Invalid signature: {message}',
        'not-image':
          'Photo {part} in the file is not a JPEG, PNG or WebP image (it claims {mime}); refused.',
        unknown: 'The file could not be read: {message}',
      },
    },
  },
}
