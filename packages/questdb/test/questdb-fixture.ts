import { fileURLToPath } from 'node:url';
import { createQuestDbTablePrefix, serviceEnv } from '@yujing/testkit';
import { applySchema, createIlpSender, type IlpWriter, QuestDbQuery, type TableNames } from '../src/index';

/** deploy/questdb, where the DDL lives. */
export const DDL_DIR = fileURLToPath(new URL('../../../deploy/questdb', import.meta.url));

export interface QuestDbFixture {
  query: QuestDbQuery;
  writer: IlpWriter;
  tables: TableNames;
  prefix: string;
  cleanup(): Promise<void>;
}

/** The four tables under a unique prefix on the real QuestDB, an ILP writer and a PG client. */
export async function questDbFixture(label: string): Promise<QuestDbFixture> {
  const env = serviceEnv();
  const { prefix, cleanup: drop } = createQuestDbTablePrefix(label);
  const query = new QuestDbQuery({ connectionString: env.questdbPg });
  const tables = await applySchema(query, DDL_DIR, { tablePrefix: prefix });
  const writer = await createIlpSender({ httpUrl: env.questdbHttp });
  return {
    query,
    writer,
    tables,
    prefix,
    async cleanup() {
      await writer.close();
      await drop();
      await query.close();
    },
  };
}
