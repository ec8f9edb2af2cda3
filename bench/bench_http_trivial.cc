// The reference for the HTTP benchmark (bench/http/run.sh): a Poco HTTPServer whose one handler
// answers every request with the same small JSON, configured like `passline serve` (threads,
// keep-alive). What passline's endpoints are measured against, on the same machine in the same
// run. Usage: bench_http_trivial PORT [THREADS] [SECONDS]; SECONDS=0 (default) serves until
// SIGTERM/SIGINT; otherwise it answers one request to itself and exits (the ctest smoke run).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

class Fixed final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& resp) override {
    static const std::string body = "{\"status\":\"ok\",\"service\":\"trivial\"}\n";
    resp.setContentType("application/json");
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.sendBuffer(body.data(), body.size());
  }
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Fixed;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 8081;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 64;
  const bool smoke = argc > 3 && std::atoi(argv[3]) != 0;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true);
  socket.listen(256);
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(256);
  params->setKeepAliveTimeout(Poco::Timespan(2, 0));
  params->setMaxKeepAliveRequests(10000);
  Poco::ThreadPool pool(2, threads + 1, 60);
  Poco::Net::HTTPServer server(new Factory, pool, socket, params);
  server.start();
  const int bound = socket.address().port();
  std::fprintf(stderr, "bench_http_trivial: listening on 127.0.0.1:%d\n", bound);
  if (smoke) {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(bound));
    Poco::Net::HTTPRequest req("GET", "/", Poco::Net::HTTPMessage::HTTP_1_1);
    s.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(s.receiveResponse(resp), body);
    server.stop();
    std::printf("%d %s", static_cast<int>(resp.getStatus()), body.c_str());
    return resp.getStatus() == 200 && body.find("\"ok\"") != std::string::npos ? 0 : 1;
  }
  int sig = 0;
  sigwait(&set, &sig);
  server.stop();
  return 0;
}
