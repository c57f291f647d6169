import { describe, expect, it } from 'vitest';
import { IDS } from '../../src/outbound/ids.ts';
import { checkinModal } from '../../src/outbound/views/checkin-modal.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

describe('check-in modal', () => {
  it('asks for the evidence the prompt named: a PR, dashboard, postmortem, runbook or doc', () => {
    const view = checkinModal({ competencies: [...rubricFixture.byId.values()] });
    const block = view.blocks.find((b) => b.block_id === IDS.checkin.evidenceBlock);
    const words = JSON.stringify(block && 'label' in block ? [block.label, block.hint] : []);
    for (const artefact of ['prompt', 'PR', 'dashboard', 'postmortem', 'runbook', 'doc']) {
      expect(words).toContain(artefact);
    }
  });
});
