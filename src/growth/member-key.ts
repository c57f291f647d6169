/** One person of one workspace as a map key: the same string wherever members are grouped or joined. */
export const memberKey = (teamId: string, userId: string): string => `${teamId}|${userId}`;
/** The key of a row that names a member. */
export const memberKeyOf = (r: { teamId: string; userId: string }): string => memberKey(r.teamId, r.userId);
