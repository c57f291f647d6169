import type { WebClient } from '@slack/web-api';

/** Sends a whole list as a text file to the person's DM with the app (Slack's external upload flow). */
export async function sendListFile(
  client: WebClient,
  userId: string,
  file: { filename: string; title: string; content: string },
): Promise<void> {
  const open = await client.conversations.open({ users: userId });
  const channel = open.channel?.id;
  if (!channel) throw new Error('could not open a DM to send the list');
  await client.filesUploadV2({
    channel_id: channel,
    initial_comment: `${file.title}, in full.`,
    file_uploads: [{ file: Buffer.from(file.content, 'utf8'), filename: file.filename, title: file.title }],
  });
}
