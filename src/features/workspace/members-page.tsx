"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { Avatar, Badge, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { ROLES, outranksOrEquals, type Role } from "@/shared/roles";
import { createInvitationInput, type MemberDto } from "@/shared/schemas/workspace";
import { issuesByField } from "@/shared/schemas/issues";
import { PageHeader } from "./app-shell";
import { useWorkspace } from "./workspace-context";
import { FormError } from "@/components/form-error";
import { Dialog } from "@/components/ui/dialog";
import { ROLE_LABEL, ROLE_SUMMARY, roleChange } from "./roles-copy";

function InviteForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, role: myRole } = useWorkspace();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const invite = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: async (invitation) => {
        toast.success(`Invitation to ${invitation.email} is on its way`);
        setEmail("");
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() });
      },
    }),
  );
  const errors = { ...fieldErrorsOf(invite.error), ...clientErrors };
  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = createInvitationInput.safeParse({ workspaceSlug: slug, email, role });
    if (!parsed.success) return setClientErrors(issuesByField(parsed.error.issues));
    setClientErrors({});
    invite.mutate(parsed.data);
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-start gap-2" noValidate aria-label="Invite a member">
      <div className="min-w-64 flex-1">
        <Field label="Email address" errors={errors.email}>
          {(a11y) => (
            <Input
              {...a11y}
              type="email"
              value={email}
              placeholder="teammate@company.com"
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="w-36">
        <Field label="Role" errors={errors.role}>
          {(a11y) => (
            <Select {...a11y} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.filter((r) => outranksOrEquals(myRole, r)).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Button type="submit" className="mt-6" loading={invite.isPending}>
        Send invite
      </Button>
      <FormError error={invite.error} className="w-full" />
    </form>
  );
}

/** "a Viewer", "an Admin". */
const withArticle = (label: string) => `${/^[AEIOU]/.test(label) ? "an" : "a"} ${label}`;

/**
 * A role change takes effect at once and can take editing away, so it is
 * confirmed first, saying what the person gains and loses (as an invitation
 * names the role before it is sent).
 */
function RoleChangeDialog({
  member,
  to,
  isMe,
  saving,
  onConfirm,
  onCancel,
}: {
  member: MemberDto;
  to: Role | null;
  isMe: boolean;
  saving: boolean;
  onConfirm: (role: Role) => void;
  onCancel: () => void;
}) {
  const who = member.user.name ?? member.user.email;
  const change = to ? roleChange(member.role, to) : { gains: [], loses: [] };
  const subject = isMe ? "You" : "They";
  return (
    <Dialog open={to !== null} onClose={onCancel} title={isMe ? "Change your own role?" : `Change ${who}'s role?`}>
      {to ? (
        <div className="space-y-3 text-sm" data-testid="role-change">
          <p>
            From <strong>{ROLE_LABEL[member.role]}</strong> to <strong>{ROLE_LABEL[to]}</strong>:{" "}
            {ROLE_SUMMARY[to].toLowerCase()}.
          </p>
          {change.loses.length ? (
            <div>
              <p className="font-medium text-red-700">{subject} will no longer be able to</p>
              <ul className="mt-1 list-disc pl-5 text-zinc-700">
                {change.loses.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {change.gains.length ? (
            <div>
              <p className="font-medium text-emerald-800">{subject} will be able to</p>
              <ul className="mt-1 list-disc pl-5 text-zinc-700">
                {change.gains.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {isMe && change.loses.length ? (
            <p className="rounded-md bg-amber-50 p-2 text-amber-900">
              Only an owner or admin can give this back to you.
            </p>
          ) : null}
          <div className="flex justify-end gap-2 pt-2">
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button variant={change.loses.length ? "danger" : "primary"} loading={saving} onClick={() => onConfirm(to)}>
              Make {isMe ? "me" : who} {withArticle(ROLE_LABEL[to])}
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}

function MemberRow({ member }: { member: MemberDto }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, role: myRole, userId, can } = useWorkspace();
  const [proposed, setProposed] = useState<Role | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey() });
  const updateRole = useMutation(
    trpc.member.updateRole.mutationOptions({
      onSuccess: async (_data, vars) => {
        setProposed(null);
        toast.success(`${member.user.name ?? member.user.email} is now ${ROLE_LABEL[vars.role]}`);
        await Promise.all([
          invalidate(),
          member.user.id === userId ? queryClient.invalidateQueries({ queryKey: trpc.workspace.get.pathKey() }) : null,
        ]);
      },
      onError: (e) => {
        setProposed(null);
        toast.error(messageOf(e));
      },
    }),
  );
  const remove = useMutation(
    trpc.member.remove.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(messageOf(e)) }),
  );
  const isMe = member.user.id === userId;
  const mayManage = outranksOrEquals(myRole, member.role);
  return (
    <tr className="border-t border-zinc-100" data-testid="member-row" data-email={member.user.email}>
      <td className="py-2 pr-3">
        <div className="flex items-center gap-2">
          <Avatar name={member.user.name ?? member.user.email} size={28} />
          <div className="min-w-0">
            <p className="truncate text-sm font-medium">
              {member.user.name ?? member.user.email} {isMe ? <span className="text-zinc-500">(you)</span> : null}
            </p>
            <p className="truncate text-xs text-zinc-500">
              {member.user.email} · @{member.user.handle}
            </p>
          </div>
        </div>
      </td>
      <td className="py-2 pr-3">
        {can("member.updateRole") && mayManage ? (
          <>
            <Select
              aria-label={`Role of ${member.user.email}`}
              className="h-8 w-32"
              value={member.role}
              disabled={updateRole.isPending}
              onChange={(e) => setProposed(e.target.value as Role)}
            >
              {ROLES.filter((r) => outranksOrEquals(myRole, r)).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </Select>
            <RoleChangeDialog
              member={member}
              to={proposed}
              isMe={isMe}
              saving={updateRole.isPending}
              onCancel={() => setProposed(null)}
              onConfirm={(role) => updateRole.mutate({ workspaceSlug: slug, memberId: member.id, role })}
            />
          </>
        ) : (
          <Badge>{ROLE_LABEL[member.role]}</Badge>
        )}
      </td>
      <td className="py-2 text-right">
        {can("member.remove") && mayManage && !isMe ? (
          <Button
            size="sm"
            variant="ghost"
            loading={remove.isPending}
            onClick={() => {
              if (confirm(`Remove ${member.user.email} from this workspace?`))
                remove.mutate({ workspaceSlug: slug, memberId: member.id });
            }}
          >
            Remove
          </Button>
        ) : null}
      </td>
    </tr>
  );
}

/** Whether the invitation email went out: nothing to say once sent. */
function InvitationEmailState({ emailedAt, emailFailedAt }: { emailedAt: Date | null; emailFailedAt: Date | null }) {
  if (emailedAt) return null;
  if (emailFailedAt)
    return (
      <span className="font-medium text-red-700" title="Every attempt to send it failed; invite the address again">
        email failed — invite again ·
      </span>
    );
  return <span title="The email is queued; it is retried for about an hour if mail is down">email queued ·</span>;
}

function PendingInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ workspaceSlug: slug }));
  const revoke = useMutation(
    trpc.invitation.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() }),
      onError: (e) => toast.error(messageOf(e)),
    }),
  );
  if (invitations.isPending) return <LoadingState />;
  if (invitations.isError)
    return <ErrorState message={messageOf(invitations.error)} onRetry={() => void invitations.refetch()} />;
  if (invitations.data.length === 0) return <p className="text-sm text-zinc-500">No pending invitations.</p>;
  return (
    <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
      {invitations.data.map((inv) => (
        <li
          key={inv.id}
          className="flex items-center justify-between gap-2 px-3 py-2 text-sm"
          data-testid="invitation-row"
        >
          <span className="truncate">
            {inv.email} <Badge>{ROLE_LABEL[inv.role]}</Badge>
          </span>
          <span className="flex items-center gap-2 text-xs text-zinc-500">
            <InvitationEmailState emailedAt={inv.emailedAt} emailFailedAt={inv.emailFailedAt} />
            expires {inv.expiresAt.toLocaleDateString("en")}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => revoke.mutate({ workspaceSlug: slug, invitationId: inv.id })}
            >
              Revoke
            </Button>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function MembersPage() {
  const trpc = useTRPC();
  const { slug, can } = useWorkspace();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceSlug: slug }));
  return (
    <>
      <PageHeader title="Members" />
      <div className="mx-auto max-w-3xl space-y-8 p-6">
        <section aria-labelledby="invite-heading" className="space-y-3">
          <h2 id="invite-heading" className="text-sm font-semibold">
            Invite people
          </h2>
          {can("member.invite") ? (
            <InviteForm />
          ) : (
            <p className="rounded-md bg-zinc-50 p-3 text-sm text-zinc-600" data-testid="invite-disabled">
              Only owners and admins can invite people to this workspace.
            </p>
          )}
        </section>
        <section aria-labelledby="members-heading">
          <h2 id="members-heading" className="mb-2 text-sm font-semibold">
            Members {members.data ? <span className="text-zinc-500">({members.data.length})</span> : null}
          </h2>
          {members.isPending ? (
            <LoadingState />
          ) : members.isError ? (
            <ErrorState message={messageOf(members.error)} onRetry={() => void members.refetch()} />
          ) : (
            <table className="w-full">
              <thead className="sr-only">
                <tr>
                  <th>Person</th>
                  <th>Role</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {members.data.map((m) => (
                  <MemberRow key={m.id} member={m} />
                ))}
              </tbody>
            </table>
          )}
        </section>
        {can("invitation.read") ? (
          <section aria-labelledby="pending-heading" className="space-y-2">
            <h2 id="pending-heading" className="text-sm font-semibold">
              Pending invitations
            </h2>
            <PendingInvitations />
          </section>
        ) : null}
      </div>
    </>
  );
}
