// The example services (PersonService, UserService, WeatherService,
// Calculator) served with Apache Thrift's C++ library, from the code
// `thrift --gen cpp` makes of examples/*.thrift: the C++ peer thrift-call's
// integration tests talk to, with the handler semantics of
// examples/python/server.py.
//
// usage: example_server [--server simple|threaded|nonblocking]
//                       [--protocol binary|compact|json]
//                       [--transport buffered|framed|header|http]
//                       [--multiplex] [--port N]
//
// Listens on 127.0.0.1 (port 0 picks a free one) and prints "listening on
// PORT" once it accepts connections. TNonblockingServer speaks framed only;
// with --transport header the protocol is THeaderProtocol, which reads binary
// or compact inside and answers in kind.
#include <signal.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <thrift/TApplicationException.h>
#include <thrift/processor/TMultiplexedProcessor.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/THeaderProtocol.h>
#include <thrift/protocol/TJSONProtocol.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/server/TSimpleServer.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/THttpServer.h>
#include <thrift/transport/TNonblockingServerSocket.h>
#include <thrift/transport/TServerSocket.h>

#include "Calculator.h"
#include "PersonService.h"
#include "UserService.h"
#include "WeatherService.h"

namespace {

using apache::thrift::TApplicationException;
using apache::thrift::TProcessor;
using apache::thrift::protocol::TProtocol;
using apache::thrift::protocol::TProtocolFactory;
using apache::thrift::transport::TTransportFactory;

class PersonHandler : public PersonServiceIf {
 public:
  void getPerson(Person& result, const std::string& name) override {
    if (name == "nobody") {
      PersonNotFound e;
      e.__set_name(name);
      throw e;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    auto saved = saved_.find(name);
    if (saved != saved_.end()) {
      result = saved->second;
      return;
    }
    result.name = name;
    result.age = static_cast<int32_t>(name.size() * 10);
  }
  void savePerson(const Person& person) override {
    std::lock_guard<std::mutex> lock(mutex_);
    saved_[person.name] = person;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Person> saved_;
};

class UserHandler : public UserServiceIf {
 public:
  UserHandler() {
    User ann;
    ann.id = 1;
    ann.name = "Ann";
    ann.__set_email("ann@example.com");
    users_[1] = ann;
  }
  void getUser(User& result, const int32_t id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = users_.find(id);
    if (found == users_.end()) throw not_found(id);
    result = found->second;
  }
  void createUser(User& result, const std::string& name, const std::string& email) override {
    std::lock_guard<std::mutex> lock(mutex_);
    result.id = users_.empty() ? 1 : users_.rbegin()->first + 1;
    result.name = name;
    result.__set_email(email);
    users_[result.id] = result;
  }
  void updateUser(const User& user) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = users_.find(user.id);
    if (found == users_.end()) throw not_found(user.id);
    found->second = user;
  }
  bool deleteUser(const int32_t id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return users_.erase(id) > 0;
  }

 private:
  static UserNotFound not_found(int32_t id) {
    UserNotFound e;
    e.__set_id(id);
    return e;
  }
  std::mutex mutex_;
  std::map<int32_t, User> users_;
};

class WeatherHandler : public WeatherServiceIf {
 public:
  bool ping() override { return true; }
  void getTemperature(std::string& result, const Location& location) override {
    result = "21.5C in " + location.city;
  }
};

// What Python's str() makes of a double (7.0, 0.5, 1e+16): the shortest
// digits that read back, fixed notation for exponents -4..15.
std::string python_str(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : value < 0 ? "-inf" : "inf";
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string text(buf, sci.ptr);
  int exponent = std::atoi(text.c_str() + text.find('e') + 1);
  if (exponent < -4 || exponent >= 16) return text;
  auto fixed = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  text.assign(buf, fixed.ptr);
  if (text.find('.') == std::string::npos) text += ".0";
  return text;
}

class CalculatorHandler : public CalculatorIf {
 public:
  int32_t add(const int32_t a, const int32_t b) override {
    // Not a declared exception: the generated processor answers with a
    // TApplicationException (INTERNAL_ERROR).
    if (a == 666) throw std::runtime_error("the handler failed");
    return a + b;
  }
  int32_t subtract(const int32_t a, const int32_t b) override { return a - b; }
  int32_t multiply(const int32_t a, const int32_t b) override { return a * b; }
  double divide(const double dividend, const double divisor) override {
    if (divisor == 0) {
      DivideByZero e;
      e.__set_message("cannot divide " + python_str(dividend) + " by zero");
      throw e;
    }
    return dividend / divisor;
  }
  void store(const int32_t value) override { memory_ = value; }
  int32_t recall() override { return memory_; }

 private:
  std::atomic<int32_t> memory_{0};
};

struct Service {
  std::string name;
  std::shared_ptr<TProcessor> processor;
  std::vector<std::string> methods;
};

std::vector<Service> services() {
  return {
      {"PersonService", std::make_shared<PersonServiceProcessor>(std::make_shared<PersonHandler>()),
       {"getPerson", "savePerson"}},
      {"UserService", std::make_shared<UserServiceProcessor>(std::make_shared<UserHandler>()),
       {"getUser", "createUser", "updateUser", "deleteUser"}},
      {"WeatherService", std::make_shared<WeatherServiceProcessor>(std::make_shared<WeatherHandler>()),
       {"ping", "getTemperature"}},
      {"Calculator", std::make_shared<CalculatorProcessor>(std::make_shared<CalculatorHandler>()),
       {"add", "subtract", "multiply", "divide", "store", "recall"}},
  };
}

// Routes a plain (not multiplexed) call to whichever service has the method:
// the example services share no method names. The message header is read
// here and replayed to the service's processor, as TMultiplexedProcessor does.
class MethodRouter : public TProcessor {
 public:
  explicit MethodRouter(const std::vector<Service>& all) {
    for (const auto& service : all)
      for (const auto& method : service.methods) routes_[method] = service.processor;
    fallback_ = all.front().processor;  // answers an unknown method with UNKNOWN_METHOD
  }

  bool process(std::shared_ptr<TProtocol> in, std::shared_ptr<TProtocol> out, void* context) override {
    std::string name;
    apache::thrift::protocol::TMessageType type;
    int32_t seqid;
    in->readMessageBegin(name, type, seqid);
    auto route = routes_.find(name);
    const auto& processor = route != routes_.end() ? route->second : fallback_;
    auto replay = std::make_shared<apache::thrift::protocol::StoredMessageProtocol>(in, name, type, seqid);
    return processor->process(replay, out, context);
  }

 private:
  std::map<std::string, std::shared_ptr<TProcessor>> routes_;
  std::shared_ptr<TProcessor> fallback_;
};

// Prints the port once the server socket accepts connections.
class AnnounceListening : public apache::thrift::server::TServerEventHandler {
 public:
  explicit AnnounceListening(std::function<int()> port) : port_(std::move(port)) {}
  void preServe() override {
    std::printf("listening on %d\n", port_());
    std::fflush(stdout);
  }

 private:
  std::function<int()> port_;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "example_server: %s\n"
               "usage: example_server [--server simple|threaded|nonblocking] [--protocol binary|compact|json]\n"
               "                      [--transport buffered|framed|header|http] [--multiplex] [--port N]\n",
               problem.c_str());
  std::exit(2);
}

struct Options {
  std::string server = "threaded";
  std::string protocol = "binary";
  std::string transport = "buffered";
  bool multiplex = false;
  int port = 9090;
};

Options parse(int argc, char** argv) {
  Options o;
  auto value = [&](int& i, const std::vector<std::string>& allowed) {
    if (i + 1 >= argc) usage(std::string(argv[i]) + " needs a value");
    std::string v = argv[++i];
    if (!allowed.empty()) {
      bool ok = false;
      for (const auto& a : allowed) ok = ok || a == v;
      if (!ok) usage("bad value for " + std::string(argv[i - 1]) + ": " + v);
    }
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--server") {
      o.server = value(i, {"simple", "threaded", "nonblocking"});
    } else if (arg == "--protocol") {
      o.protocol = value(i, {"binary", "compact", "json"});
    } else if (arg == "--transport") {
      o.transport = value(i, {"buffered", "framed", "header", "http"});
    } else if (arg == "--multiplex") {
      o.multiplex = true;
    } else if (arg == "--port") {
      std::string v = value(i, {});
      char* end = nullptr;
      long port = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || port < 0 || port > 65535) usage("bad port: " + v);
      o.port = static_cast<int>(port);
    } else {
      usage("unknown argument: " + arg);
    }
  }
  if (o.server == "nonblocking" && o.transport != "framed")
    usage("TNonblockingServer speaks framed only (--transport framed)");
  return o;
}

std::shared_ptr<TProtocolFactory> protocol_factory(const std::string& name) {
  using namespace apache::thrift::protocol;
  if (name == "compact") return std::make_shared<TCompactProtocolFactory>();
  if (name == "json") return std::make_shared<TJSONProtocolFactory>();
  return std::make_shared<TBinaryProtocolFactory>();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace apache::thrift;
  Options options = parse(argc, argv);
  signal(SIGPIPE, SIG_IGN);

  auto all = services();
  std::shared_ptr<TProcessor> processor;
  if (options.multiplex) {
    auto multiplexed = std::make_shared<TMultiplexedProcessor>();
    for (const auto& service : all) multiplexed->registerProcessor(service.name, service.processor);
    processor = multiplexed;
  } else {
    processor = std::make_shared<MethodRouter>(all);
  }

  try {
    if (options.server == "nonblocking") {
      auto socket = std::make_shared<transport::TNonblockingServerSocket>("127.0.0.1", options.port);
      server::TNonblockingServer server(processor, protocol_factory(options.protocol), socket);
      server.setServerEventHandler(std::make_shared<AnnounceListening>([socket] { return socket->getListenPort(); }));
      server.serve();
      return 0;
    }

    auto socket = std::make_shared<transport::TServerSocket>("127.0.0.1", options.port);
    std::shared_ptr<TTransportFactory> transports;
    std::shared_ptr<TProtocolFactory> protocols = protocol_factory(options.protocol);
    // With no output protocol factory, TServerFramework makes one protocol
    // over both directions: THeaderProtocol needs that to answer in the
    // protocol and framing the request came in.
    std::shared_ptr<TProtocolFactory> output_protocols = protocols;
    if (options.transport == "framed") {
      transports = std::make_shared<transport::TFramedTransportFactory>();
    } else if (options.transport == "http") {
      transports = std::make_shared<transport::THttpServerTransportFactory>();
    } else if (options.transport == "header") {
      transports = std::make_shared<TTransportFactory>();
      protocols = std::make_shared<protocol::THeaderProtocolFactory>();
      output_protocols = nullptr;
    } else {
      transports = std::make_shared<transport::TBufferedTransportFactory>();
    }

    std::unique_ptr<server::TServer> server;
    if (options.server == "simple")
      server = std::make_unique<server::TSimpleServer>(processor, socket, transports, transports, protocols,
                                                      output_protocols);
    else
      server = std::make_unique<server::TThreadedServer>(processor, socket, transports, transports, protocols,
                                                        output_protocols);
    server->setServerEventHandler(std::make_shared<AnnounceListening>([socket] { return socket->getPort(); }));
    server->serve();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "example_server: %s\n", e.what());
    return 1;
  }
  return 0;
}
