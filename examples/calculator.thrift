namespace py example.calculator

exception DivideByZero {
  1: string message,
}

service Calculator {
  i32 add(1: i32 a, 2: i32 b),
  i32 subtract(1: i32 a, 2: i32 b),
  i32 multiply(1: i32 a, 2: i32 b),
  double divide(1: double dividend, 2: double divisor) throws (1: DivideByZero error),

  /** Keeps `value` in the calculator's memory (M+); no reply is sent. */
  oneway void store(1: i32 value),
  /** What `store` kept last (MR), 0 before any. */
  i32 recall(),
}
