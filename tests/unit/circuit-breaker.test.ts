import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError } from "@/server/http/circuit-breaker";

function breaker() {
  let now = 0;
  const opened: unknown[] = [];
  const b = new CircuitBreaker("SMTP", { threshold: 3, openMs: 30_000, now: () => now, onOpen: (e) => opened.push(e) });
  return { b, opened, advance: (ms: number) => (now += ms) };
}
const fail = () => Promise.reject(new Error("ECONNREFUSED"));
const succeed = () => Promise.resolve("sent");

describe("CircuitBreaker", () => {
  it("opens after `threshold` failures in a row, then refuses without calling", async () => {
    const { b, opened } = breaker();
    for (let i = 0; i < 3; i++) await expect(b.run(fail)).rejects.toThrow("ECONNREFUSED");
    expect(b.state).toBe("open");
    expect(opened).toHaveLength(1);
    let called = false;
    const refused = b.run(() => ((called = true), succeed()));
    await expect(refused).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(refused).rejects.toThrow("SMTP is failing: not trying again for 30 s");
    expect(called).toBe(false);
  });

  it("a success in between resets the count", async () => {
    const { b } = breaker();
    await expect(b.run(fail)).rejects.toThrow();
    await expect(b.run(fail)).rejects.toThrow();
    await b.run(succeed);
    await expect(b.run(fail)).rejects.toThrow();
    await expect(b.run(fail)).rejects.toThrow();
    expect(b.state).toBe("closed");
  });

  it("lets one trial through after openMs: success closes it, failure opens it for another openMs", async () => {
    const { b, opened, advance } = breaker();
    for (let i = 0; i < 3; i++) await expect(b.run(fail)).rejects.toThrow();
    advance(30_000);
    expect(b.state).toBe("half-open");
    await expect(b.run(fail)).rejects.toThrow("ECONNREFUSED");
    expect(b.state).toBe("open");
    expect(opened).toHaveLength(2);
    advance(29_999);
    await expect(b.run(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    advance(1);
    await expect(b.run(succeed)).resolves.toBe("sent");
    expect(b.state).toBe("closed");
  });

  it("half-open: a second call while the trial runs is refused", async () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) await expect(b.run(fail)).rejects.toThrow();
    advance(30_000);
    let finish: (v: string) => void = () => {};
    const trial = b.run(() => new Promise<string>((resolve) => (finish = resolve)));
    await expect(b.run(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    finish("sent");
    await expect(trial).resolves.toBe("sent");
    await expect(b.run(succeed)).resolves.toBe("sent");
  });
});
