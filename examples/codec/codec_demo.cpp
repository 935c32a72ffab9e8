// Encodes an Account generated from Account.tars to TARS bytes, decodes it back,
// and prints the bytes, the JSON form and the display form.
#include "Account.h"

#include "tup/Tars.h"

#include <cstdio>
#include <iostream>

int main() {
    Demo::Account account;
    account.id = 9007199254740993LL;  // beyond a double's exact range: JSON keeps it exact
    account.name = "Ada";
    account.tier = Demo::PRO;
    account.emails = {"ada@example.com", "ada@work.example"};
    account.quota = {{"storage_gb", 50}, {"projects", 12}};
    account.address.city = "London";

    tars::TarsOutputStream<tars::BufferWriterString> os;
    account.writeTo(os);
    const std::string& bytes = os.getByteBuffer();

    std::printf("TARS encoding, %zu bytes:\n", bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i)
        std::printf("%02x%s", static_cast<unsigned char>(bytes[i]), (i + 1) % 32 == 0 ? "\n" : " ");
    std::printf("\n\n");

    tars::TarsInputStream<tars::BufferReader> is;
    is.setBuffer(bytes.data(), bytes.size());
    Demo::Account decoded;
    decoded.readFrom(is);

    std::cout << "decoded equals original: " << (decoded == account ? "yes" : "NO") << "\n\n";
    std::cout << "JSON: " << decoded.writeToJsonString() << "\n\n";
    std::cout << "display:\n";
    decoded.display(std::cout);
    return decoded == account ? 0 : 1;
}
