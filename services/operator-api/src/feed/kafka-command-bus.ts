import type { TypedProducer } from '@yujing/kafka';
import type { AlarmCommand } from '@yujing/schemas';
import type { CommandBus } from '../collaborators';

/** Commands go to `yj.alarm-commands.v1`, keyed by enterprise so the owning worker partition gets them. */
export function kafkaCommandBus(producer: TypedProducer): CommandBus {
  return {
    async send(command: AlarmCommand) {
      await producer.send('alarmCommands', [{ key: command.enterpriseId, value: command }]);
    },
  };
}
