/**
 * The demo's sign-in personas: one per fixture role and scope of docs/access-control.md, over the
 * fixture fleet of simulators/fixtures/registry (太原 140100 is the city of the demo's first CO
 * scenario, 尖草坪区 140108 its county, 140108ST01 晋阳特殊钢铁 the enterprise).
 */
export interface DevPersona {
  id: string;
  /** zh-CN label on the sign-in page. */
  label: string;
  role: 'operator' | 'regulator' | 'enterprise';
  /** LEVEL:CODE as `yujing token mint --scope` takes it. */
  scope: string;
  name: string;
}

export function devPersonas(enterpriseId: string): DevPersona[] {
  return [
    {
      id: 'operator',
      label: '省级监测中心值班员（山西省）',
      role: 'operator',
      scope: 'province:140000',
      name: '省中心值班员',
    },
    {
      id: 'city-regulator',
      label: '市级监管（太原市应急管理局）',
      role: 'regulator',
      scope: 'city:140100',
      name: '太原市监管员',
    },
    {
      id: 'county-regulator',
      label: '县级监管（尖草坪区应急管理局）',
      role: 'regulator',
      scope: 'county:140108',
      name: '尖草坪区监管员',
    },
    {
      id: 'enterprise',
      label: `企业安全负责人（${enterpriseId}）`,
      role: 'enterprise',
      scope: `enterprise:${enterpriseId}`,
      name: '企业安全负责人',
    },
  ];
}
