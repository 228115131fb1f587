/**
 * A fake Anthropic Messages API on 127.0.0.1 for driving the real @anthropic-ai/sdk over HTTP.
 * Same script steps as the OpenAI fake; 'empty' answers an empty content array and
 * 'null-content' a message without `content`.
 */
import { commonStep, sendJson, startFakeServer, type FakeServer, type FakeStep } from './fake-openai';

export type { FakeServer, FakeStep, RecordedRequest } from './fake-openai';

export interface FakeAnthropicOptions {
  script?: FakeStep[];
  /** text of the k-th answered request; default ` sample ${k}` */
  text?: (k: number, body: any) => string;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  const text = options.text ?? ((k: number) => ` sample ${k}`);
  let answered = 0;
  return startFakeServer(
    { script: options.script, basePath: '', routes: ['POST /v1/messages'] },
    (step, request, res) => {
      if (
        commonStep(step, request, res, (status, message) => ({
          type: 'error',
          error: { type: 'fake_error', message: message ?? `fake error ${status}` },
        }))
      )
        return;
      const t = step.kind === 'ok' && step.texts ? step.texts[0] : text(answered++, request.body);
      const message: Record<string, unknown> = {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: request.body?.model,
        content: step.kind === 'empty' ? [] : [{ type: 'text', text: t }],
        stop_reason: 'max_tokens',
        stop_sequence: null,
        usage: { input_tokens: 7, output_tokens: 5 },
      };
      if (step.kind === 'null-content') delete message.content;
      const delay = step.kind === 'ok' ? (step.delayMs ?? 0) : 0;
      setTimeout(() => sendJson(res, 200, message), delay);
    },
  );
}
