/**
 * A CRUD service over users.
 */
namespace py example.user

struct User {
  1: required i32 id,
  2: required string name,
  3: optional string email,
}

exception UserNotFound {
  1: i32 id,
}

service UserService {
  User getUser(1: i32 id) throws (1: UserNotFound notFound),
  User createUser(1: string name, 2: string email),
  /** Returns nothing; throws when the user does not exist. */
  void updateUser(1: User user) throws (1: UserNotFound notFound),
  /** Returns whether a user was deleted. */
  bool deleteUser(1: i32 id),
}
